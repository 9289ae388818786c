package io.flakeproof.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbeddedZooKeeperTest {

    /** Short ticks keep session expiry, and so these tests, fast: sessions may last 200 ms to 2 s. */
    private static final int TICK_MS = 100;
    private static final int SESSION_MS = 1_000;
    /** The longest any test waits for a connection or an event before it fails. */
    private static final int WAIT_SECONDS = 10;

    private static final String RECORD = "/flakeproof/test/workers/0/7";

    @TempDir
    Path tmp;

    @Test
    void persistentNodeSurvivesRestartWithItsDataAndVersion() throws Exception {
        Path dir = tmp.resolve("zk");
        byte[] data = "{\"holderEpoch\":2}".getBytes(UTF_8);
        Stat written;
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0, TICK_MS);
             CuratorFramework client = connect(zk)) {
            client.create().creatingParentsIfNeeded().forPath(RECORD, "{\"holderEpoch\":1}".getBytes(UTF_8));
            written = client.setData().withVersion(0).forPath(RECORD, data);
        }

        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0, TICK_MS);
             CuratorFramework client = connect(zk)) {
            Stat read = new Stat();
            assertThat(client.getData().storingStatIn(read).forPath(RECORD)).isEqualTo(data);
            assertThat(read.getVersion()).isEqualTo(written.getVersion()).isEqualTo(1);
            assertThat(read.getMzxid()).isEqualTo(written.getMzxid());
        }
    }

    @Test
    void ephemeralOfADeadClientOutlivesRestartUntilItsSessionTimesOut() throws Exception {
        Path dir = tmp.resolve("zk");
        String owner = RECORD + "/owner";
        EmbeddedZooKeeper first = EmbeddedZooKeeper.start(dir, 0, TICK_MS);
        CuratorFramework holder = connect(first);
        holder.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(owner);
        first.close();
        holder.close(); // the server is gone, so the session is never closed: only its timeout ends it

        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0, TICK_MS);
             CuratorFramework client = connect(zk)) {
            CountDownLatch deleted = new CountDownLatch(1);
            Stat stat = client.checkExists()
                    .usingWatcher((Watcher) event -> {
                        if (event.getType() == Watcher.Event.EventType.NodeDeleted) {
                            deleted.countDown();
                        }
                    })
                    .forPath(owner);
            assertThat(stat).as("the dead holder's ephemeral right after the restart").isNotNull();
            assertThat(deleted.await(WAIT_SECONDS, TimeUnit.SECONDS))
                    .as("ephemeral expired within %d s", WAIT_SECONDS).isTrue();
        }
    }

    @Test
    void portZeroBindsAFreeLoopbackPortThatClientsCanUse() throws Exception {
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(tmp, 0, TICK_MS);
             CuratorFramework client = connect(zk)) {
            assertThat(zk.port()).isBetween(1, 65_535);
            assertThat(zk.connectString()).isEqualTo("127.0.0.1:" + zk.port());
            assertThat(zk.dataDir()).isEqualTo(tmp.toAbsolutePath().normalize());
            client.create().forPath("/probe", new byte[] {1});
            assertThat(client.getData().forPath("/probe")).containsExactly(1);
        }
    }

    @Test
    void takenPortFailsNamingThePortAndLeavesTheDirectoryUsable() throws Exception {
        Path dir = tmp.resolve("zk");
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedZooKeeper.HOST))) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> EmbeddedZooKeeper.start(dir, port, TICK_MS))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0, TICK_MS)) {
            assertThat(zk.port()).isPositive();
        }
    }

    @Test
    void closeIsIdempotentAndReleasesPortFilesAndLock() throws Exception {
        Path dir = tmp.resolve("zk");
        EmbeddedZooKeeper first = EmbeddedZooKeeper.start(dir, 0, TICK_MS);
        int port = first.port();
        try (CuratorFramework client = connect(first)) {
            client.create().forPath("/probe"); // opens the transaction log
        }
        assertThat(openFilesUnder(dir)).as("files open while running").isNotEmpty();

        first.close();
        first.close();

        assertThat(openFilesUnder(dir)).as("files open after close").isEmpty();
        try (EmbeddedZooKeeper second = EmbeddedZooKeeper.start(dir, port, TICK_MS)) {
            assertThat(second.port()).isEqualTo(port);
        }
    }

    @Test
    void secondServerOnOneDataDirIsRefusedNamingTheDir() throws Exception {
        Path dir = tmp.resolve("zk").toAbsolutePath();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0, TICK_MS)) {
            assertThatThrownBy(() -> EmbeddedZooKeeper.start(dir, 0, TICK_MS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("in use by another server");
        }
    }

    @Test
    void unwritableDataDirFailsNamingTheDir() throws Exception {
        Path dir = Files.writeString(tmp.resolve("a-file"), "x").resolve("zk").toAbsolutePath();
        assertThatThrownBy(() -> EmbeddedZooKeeper.start(dir, 0, TICK_MS))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("cannot be created or written");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1    | 100 | port must be in [0, 65535]: -1",
        "65536 | 100 | port must be in [0, 65535]: 65536",
        "0     | 0   | tickTimeMs must be at least 1: 0",
    })
    void rejectsBadArgumentsNamingTheBound(int port, int tickTimeMs, String message) {
        assertThatThrownBy(() -> EmbeddedZooKeeper.start(tmp, port, tickTimeMs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    /** A started Curator client, connected within {@link #WAIT_SECONDS}. */
    private static CuratorFramework connect(EmbeddedZooKeeper zk) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(
                zk.connectString(), SESSION_MS, SESSION_MS, new RetryOneTime(TICK_MS));
        client.start();
        if (!client.blockUntilConnected(WAIT_SECONDS, TimeUnit.SECONDS)) {
            client.close();
            throw new AssertionError("no connection to " + zk + " within " + WAIT_SECONDS + " s");
        }
        return client;
    }

    /** The files under {@code dir} that this JVM holds open, from Linux's {@code /proc/self/fd}. */
    private static List<Path> openFilesUnder(Path dir) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd (Linux)");
        Path real = dir.toRealPath();
        List<Path> open = new ArrayList<>();
        try (Stream<Path> links = Files.list(fds)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                try {
                    Path target = Files.readSymbolicLink(link);
                    if (target.startsWith(real)) {
                        open.add(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor of the listing itself, or one closed since: not ours to count
                }
            }
        }
        return open;
    }
}
