package io.flakeproof.registry;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.SystemClock;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Real ZooKeeper for the lease tests: loopback servers with a 100 ms tick, 1 s sessions, and the
 * helpers every test uses (clients, leases, awaiting, a distinctness check over every ID minted).
 */
public final class ZooKeeperFixture {

    public static final int TICK_MS = 100;
    public static final Duration SESSION = Duration.ofMillis(1000);
    public static final Duration WINDOW = Duration.ofMillis(1500);

    private ZooKeeperFixture() {
    }

    public static InstanceSpec loopbackSpec(File dir) {
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create " + dir);
        }
        return new InstanceSpec(dir, TestPorts.free(), TestPorts.free(), TestPorts.free(), true, -1, TICK_MS, -1,
                Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    }

    public static CuratorFramework client(String connectString) {
        return ZooKeeperClients.start(connectString, SESSION);
    }

    public static LeaseSettings settings(String cluster, String holder) {
        return LeaseSettings.of(cluster, 0, holder)
                .withWindow(WINDOW)
                .withRetryDelay(Duration.ofMillis(100))
                .withStartupTimeout(Duration.ofSeconds(20));
    }

    public static CuratorLease lease(CuratorFramework client, BitLayout layout, String cluster, String holder) {
        return CuratorLease.start(client, layout, settings(cluster, holder), SystemClock.INSTANCE);
    }

    public static CuratorLease lease(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock) {
        return CuratorLease.start(client, layout, settings, clock);
    }

    /**
     * Ends a client's session on the server, as an expiry would: a second handle on the same session
     * is opened and closed, and the server drops the session's ephemerals at once.
     */
    public static void expireSessionOnServer(CuratorFramework client) throws Exception {
        final ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        final CountDownLatch connected = new CountDownLatch(1);
        final ZooKeeper twin = new ZooKeeper(client.getZookeeperClient().getCurrentConnectionString(),
                (int) SESSION.toMillis(), event -> {
                    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                }, zk.getSessionId(), zk.getSessionPasswd());
        // Closing a handle that has not connected yet would only close it locally.
        if (!connected.await(5, TimeUnit.SECONDS)) {
            twin.close();
            throw new AssertionError("the twin handle did not connect to the session within 5 s");
        }
        twin.close();
    }

    /** Waits for a condition, at most {@code timeout}; polls every 10 ms. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Mints until the generator refuses, at most {@code timeout}; returns what it minted and the refusal. */
    public static MintRefusedException mintUntilRefused(SnowflakeGenerator generator, List<Long> into, Duration timeout)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                into.add(generator.nextId());
            } catch (MintRefusedException e) {
                return e;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the generator did not refuse within " + timeout.toMillis() + " ms");
    }

    /** Fails naming the first duplicate. */
    public static void assertDistinct(List<Long> ids) {
        final Set<Long> seen = new HashSet<>();
        for (long id : ids) {
            if (!seen.add(id)) {
                throw new AssertionError("duplicate ID " + id + " among " + ids.size());
            }
        }
    }

    public static List<Long> mint(SnowflakeGenerator generator, int count) {
        final List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(generator.nextId());
        }
        return ids;
    }
}
