package io.flakeproof.registry;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.SystemClock;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * The ports test servers take: below Linux's ephemeral range (32768-60999 unless configured), from
     * which the system picks the source port of every outgoing connection. curator-test's own pick (a
     * port the system gave a socket bound to port 0, closed again) lies in that range, and a ZooKeeper
     * took it seconds later, when a connection of another test could have it as its source port by then:
     * a quorum peer that cannot bind its election port exits the JVM, and the test fork with it. Here a
     * port is free when picked and no connection's source port can take it; each JVM starts at its own
     * place in the range (from its process ID), so that test forks at the same time do not pick alike.
     */
    private static final int LOWEST_PORT = 20_000;
    private static final int PORTS = 12_000;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger((int) (ProcessHandle.current().pid() * 61 % PORTS));

    public static InstanceSpec loopbackSpec(File dir) {
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create " + dir);
        }
        return new InstanceSpec(dir, freePort(), freePort(), freePort(), true, -1, TICK_MS, -1,
                Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    }

    /**
     * A loopback port in [{@value #LOWEST_PORT}, +{@value #PORTS}) that nothing has bound, none picked
     * twice by one JVM: for every server a test starts on a port it chose (ZooKeeper's, a node's, a
     * Prometheus), and above all for one stopped and started again on the same port, which a client's
     * reconnect could otherwise take as its own source port in between.
     */
    public static int freePort() {
        for (int tried = 0; tried < PORTS; tried++) {
            final int port = LOWEST_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), PORTS);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // bound by another process: the next one
            }
        }
        throw new IllegalStateException("no free loopback port in [" + LOWEST_PORT + ", " + (LOWEST_PORT + PORTS) + ")");
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
