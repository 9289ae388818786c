package io.flakeproof.service;

import static io.flakeproof.registry.ZooKeeperFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.lease.WorkerRecord;
import io.flakeproof.registry.EmbeddedZooKeeper;
import io.flakeproof.registry.RegistryPaths;
import io.flakeproof.registry.TestPorts;
import io.flakeproof.registry.ZooKeeperClients;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flakeproof serve} as a real process: it starts with its embedded ZooKeeper, serves, and on
 * SIGTERM releases its lease and exits 0; the data directory keeps the worker's record.
 */
class ServeCommandTest {

    private static final Pattern STARTED = Pattern.compile("flakeproof serving on http://127\\.0\\.0\\.1:(\\d+) as worker (\\d+)");

    @TempDir
    Path dir;

    /** A {@code flakeproof serve} process and what it printed. */
    private record Serve(Process process, StringBuilder seen, CompletableFuture<Matcher> started) {
        Matcher awaitStarted() throws Exception {
            final Matcher m = started.get(60, TimeUnit.SECONDS);
            assertThat(m).as("startup line in:%n%s", seen).isNotNull();
            return m;
        }

        void stop() throws Exception {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(process.exitValue()).as("exit code; output:%n%s", seen).isZero();
        }
    }

    private Serve serve(int zkPort, String... more) throws Exception {
        final List<String> command = new ArrayList<>(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--data-dir", dir.resolve("zk").toString(),
                "--zookeeper-port", Integer.toString(zkPort), "--lease-window", "3s"));
        command.addAll(List.of(more));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        final StringBuilder seen = new StringBuilder();
        final CompletableFuture<Matcher> started = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    final Matcher m = STARTED.matcher(line);
                    if (m.find()) {
                        return m;
                    }
                }
                return null;
            } catch (Exception e) {
                return null;
            }
        });
        return new Serve(process, seen, started);
    }

    @Test
    void aNodeWhoseEmbeddedRegistryWasWipedRefusesUntilToldNewCluster() throws Exception {
        final int zkPort = TestPorts.free();
        final Serve first = serve(zkPort);
        try {
            assertThat(first.awaitStarted().group(0)).isNotEmpty();
            first.stop();
        } finally {
            first.process().destroyForcibly();
        }
        final String id = Files.readString(dir.resolve("zk").resolve("cluster-default.id")).strip();
        assertThat(first.seen().toString()).contains("id " + id + ", layout");
        // The registry's data goes; the node's record of the cluster it joined stays.
        try (var files = Files.walk(dir.resolve("zk").resolve("version-2"))) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }

        final Serve refused = serve(zkPort);
        try {
            assertThat(refused.process().waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(refused.process().exitValue()).isEqualTo(1);
            refused.started().get(10, TimeUnit.SECONDS);
            assertThat(refused.seen().toString()).contains("flakeproof: cannot start: the registry has no record of "
                    + "cluster 'default', but this node joined cluster id " + id).contains("--new-cluster");
        } finally {
            refused.process().destroyForcibly();
        }

        final Serve recreated = serve(zkPort, "--new-cluster");
        try {
            recreated.awaitStarted();
            assertThat(recreated.seen().toString()).contains("re-created").doesNotContain("id " + id + ",");
            recreated.stop();
        } finally {
            recreated.process().destroyForcibly();
        }
    }

    @Test
    void servesThenReleasesItsLeaseAndExitsZeroOnSigterm() throws Exception {
        final Serve serve = serve(TestPorts.free());
        final Process process = serve.process();
        final StringBuilder seen = serve.seen();
        final CompletableFuture<Matcher> started = serve.started();
        try {
            final Matcher m = started.get(60, TimeUnit.SECONDS);
            assertThat(m).as("startup line in:%n%s", seen).isNotNull();
            final int port = Integer.parseInt(m.group(1));
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ids?count=5"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            final List<Long> ids = FleetTest.parseIds(response.body());
            assertThat(ids).hasSize(5).isSorted().doesNotHaveDuplicates();
            final long lastTick = BitLayout.snowflake().tickOf(ids.get(4));

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(process.exitValue()).as("exit code; output:%n%s", seen).isZero();

            // The record outlived the process; its ceiling was lowered to the last minted tick.
            try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), 0, 200);
                    CuratorFramework client = ZooKeeperClients.start(zk.connectString(), Duration.ofSeconds(4))) {
                final RegistryPaths paths = new RegistryPaths("default");
                final long worker = Long.parseLong(m.group(2));
                final WorkerRecord record = WorkerRecord.fromBytes(client.getData().forPath(paths.worker(0, worker)));
                assertThat(record.ceilingTick()).isGreaterThanOrEqualTo(lastTick);
                assertThat(record.ceilingTick()).as("lowered from now + window").isLessThan(
                        BitLayout.snowflake().tickAt(System.currentTimeMillis()));
                await("owner gone", Duration.ofSeconds(10),
                        () -> exists(client, paths.owner(0, worker)) == Boolean.FALSE);
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static Boolean exists(CuratorFramework client, String path) {
        try {
            return client.checkExists().forPath(path) != null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
