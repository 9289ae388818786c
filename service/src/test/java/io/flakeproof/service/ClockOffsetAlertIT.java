package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.registry.TestPorts;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clock-offset alert end to end, with real processes: Debian's standalone ZooKeeper, a
 * {@code flakeproof serve} node whose clock libfaketime can step, and Debian's Prometheus scraping the
 * node every 2 s with the shipped rules ({@code docs/ops/flakeproof-alerts.yml}). The node's clock
 * is stepped 5 s ahead, past the 1 s offset bound: {@code FlakeproofClockOffsetBeyondBound} must go
 * pending, then firing in Prometheus's {@code /api/v1/alerts}; stepped back, the alert must resolve.
 *
 * <p>ZooKeeper runs in a process of its own: the node estimates its offset from ZooKeeper's mtimes,
 * and an embedded ZooKeeper would share the node's faked clock. Only the wall clock is faked
 * ({@code FAKETIME_DONT_FAKE_MONOTONIC=1}): the node's timers and ZooKeeper's session stay on real time.
 * The lease window is 3 s, so a renewal, and with it an offset reading, comes every second.
 *
 * <p>Run by the {@code ops} profile: {@code mvn -B -ntp -pl service -am verify -Pops -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false}. Needs Debian's zookeeper, prometheus and faketime packages.
 */
class ClockOffsetAlertIT {

    private static final String ALERT = "FlakeproofClockOffsetBeyondBound";
    private static final String STEP = "+5s";
    /** The alert's {@code for} is 15 s; with 2 s scrapes and 1 s renewals and evaluations it fires within a few more. */
    private static final Duration FIRING_WITHIN = Duration.ofSeconds(40);
    private static final Duration RESOLVED_WITHIN = Duration.ofSeconds(20);

    private final Path jar = Path.of(System.getProperty("ops.jar", "target/flakeproof.jar"));
    private final Path rules = Path.of(System.getProperty("ops.rules", "../docs/ops/flakeproof-alerts.yml"))
            .toAbsolutePath().normalize();
    private final String libfaketime = System.getProperty("ops.libfaketime",
            "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");
    private final Path summary = Path.of(System.getProperty("ops.summary", "target/ops-alert-summary.txt"));

    @TempDir
    File dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private final List<File> logs = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (int i = processes.size() - 1; i >= 0; i--) {
            final Process process = processes.get(i);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theClockOffsetAlertFiresWhenTheNodesClockStepsOutOfBoundAndResolvesWhenItIsBack() throws Exception {
        final long started = System.nanoTime();
        final int zkPort = TestPorts.free();
        final int nodePort = TestPorts.free();
        final int prometheusPort = TestPorts.free();
        final Path fakeTime = dir.toPath().resolve("faketime");
        Files.writeString(fakeTime, "+0s");

        startZooKeeper(zkPort);
        final ProcessBuilder node = new ProcessBuilder("java", "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar.toString(),
                "serve", "--port", Integer.toString(nodePort), "--zookeeper", "127.0.0.1:" + zkPort, "--cluster", "ops",
                "--data-dir", new File(dir, "node").toString(), "--lease-window", "3s", "--session-timeout", "4s");
        node.environment().put("LD_PRELOAD", libfaketime);
        node.environment().put("FAKETIME_TIMESTAMP_FILE", fakeTime.toString());
        node.environment().put("FAKETIME_NO_CACHE", "1");
        node.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        launch(node, "node.log");
        startPrometheus(prometheusPort, nodePort);
        final URI prometheus = URI.create("http://127.0.0.1:" + prometheusPort);

        awaitLog(new File(dir, "node.log"), "flakeproof serving on", Duration.ofSeconds(60));
        // Under libfaketime the node's first scrapes take about a second: a failed scrape would reset the
        // alert's 'for'. The clock is stepped once the last 6 s of scrapes all succeeded in under 1 s.
        await("Prometheus scrapes the node, 6 s of scrapes under 1 s each", Duration.ofSeconds(60),
                () -> query(prometheus, "min_over_time(up{job=\"flakeproof\"}[6s]) == 1 and "
                        + "max_over_time(scrape_duration_seconds{job=\"flakeproof\"}[6s]) < 1"),
                body -> body.contains("\"value\":["));
        final long ready = System.nanoTime();
        assertThat(alertState(get(prometheus.resolve("/api/v1/alerts")))).as("the alert before the step").isNull();

        Files.writeString(fakeTime, STEP);
        final long stepped = System.nanoTime();
        await("the node reports the offset beyond its bound", Duration.ofSeconds(10),
                () -> get(URI.create("http://127.0.0.1:" + nodePort + "/health")),
                body -> body.contains("\"lease_state\":\"suspended\""));
        await(ALERT + " pending", FIRING_WITHIN, () -> get(prometheus.resolve("/api/v1/alerts")),
                body -> alertState(body) != null);
        final long pending = System.nanoTime();
        final String firingBody = await(ALERT + " firing", FIRING_WITHIN,
                () -> get(prometheus.resolve("/api/v1/alerts")), body -> "firing".equals(alertState(body)));
        final long firing = System.nanoTime();
        assertThat(firingBody).contains("\"severity\":\"critical\"", "minting suspended");

        Files.writeString(fakeTime, "+0s");
        final long back = System.nanoTime();
        await(ALERT + " resolved", RESOLVED_WITHIN, () -> get(prometheus.resolve("/api/v1/alerts")),
                body -> alertState(body) == null);
        final long resolved = System.nanoTime();
        // The alert resolves on the first in-bound reading; the renewal held back meanwhile is redone at once
        // after it, so the lease is held again within a round trip or two, not necessarily at that instant.
        await("the lease held again", Duration.ofSeconds(10),
                () -> get(URI.create("http://127.0.0.1:" + nodePort + "/health")),
                body -> body.contains("\"lease_state\":\"held\""));

        // Both figures from the one answer: two queries, a scrape apart, had counted 13 of 12.
        final String window = "[" + (long) Math.ceil(seconds(stepped, System.nanoTime())) + "s]";
        final List<String> ups = samples(query(prometheus, "up{job=\"flakeproof\"}" + window));
        final long scrapes = ups.size();
        final long succeeded = ups.stream().filter("1"::equals).count();

        final String report = String.format(Locale.ROOT, "clock offset alert, end to end (Prometheus scraping every 2 s,"
                        + " rule 'for' 15 s, clock stepped %s): processes up and scraped in %.1f s; after the step, "
                        + "pending in %.1f s, firing in %.1f s; after the step back, resolved in %.1f s; %.1f s in all; "
                        + "%d of %d scrapes since the step succeeded%n",
                STEP, seconds(started, ready), seconds(stepped, pending), seconds(stepped, firing), seconds(back, resolved),
                seconds(started, resolved), succeeded, scrapes);
        System.out.print(report);
        Files.createDirectories(summary.toAbsolutePath().getParent());
        Files.writeString(summary, report);
    }

    /**
     * The state of {@link #ALERT} in an {@code /api/v1/alerts} body ({@code pending} or {@code firing}),
     * or null when it is not there. Each alert object starts with its labels.
     */
    private static String alertState(String body) {
        for (String alert : body.split("\\{\"labels\":")) {
            if (alert.contains("\"alertname\":\"" + ALERT + "\"")) {
                final Matcher state = Pattern.compile("\"state\":\"(\\w+)\"").matcher(alert);
                return state.find() ? state.group(1) : "unknown";
            }
        }
        return null;
    }

    /** Debian's standalone ZooKeeper on loopback, as FleetAvailabilityIT starts it. */
    private void startZooKeeper(int port) throws Exception {
        final File home = new File(dir, "zk");
        Files.createDirectories(new File(home, "data").toPath());
        final Path config = home.toPath().resolve("zoo.cfg");
        Files.writeString(config, String.join("\n", "tickTime=500", "initLimit=10", "syncLimit=5",
                "dataDir=" + new File(home, "data"), "clientPort=" + port, "clientPortAddress=127.0.0.1",
                "admin.enableServer=false", ""));
        final Process zk = launch(new ProcessBuilder("java", "-cp", "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar",
                "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString()), "zk.log");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!listening(port)) {
            assertThat(zk.isAlive()).as("ZooKeeper is running: %s", tails()).isTrue();
            assertThat(System.nanoTime() - deadline).as("ZooKeeper listens within 30 s").isNegative();
            Thread.sleep(20);
        }
    }

    /** Debian's Prometheus on loopback: its own data directory and port, 2 s scrapes, 1 s evaluations, the shipped rules. */
    private void startPrometheus(int port, int nodePort) throws IOException {
        final Path config = dir.toPath().resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 2s",
                "  scrape_timeout: 2s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + rules,
                "scrape_configs:",
                "  - job_name: flakeproof",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + nodePort + "']",
                ""));
        launch(new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + new File(dir, "prometheus-data"),
                "--web.listen-address=127.0.0.1:" + port), "prometheus.log");
    }

    /** The values of the one series in a range query's answer, oldest first. */
    private static List<String> samples(String body) {
        final Matcher series = Pattern.compile("\"values\":\\[(.*?)\\]\\]").matcher(body);
        assertThat(series.find()).as("one series in %s", body).isTrue();
        final Matcher sample = Pattern.compile("\\[[0-9.]+,\"([^\"]+)\"").matcher(series.group(1));
        final List<String> values = new ArrayList<>();
        while (sample.find()) {
            values.add(sample.group(1));
        }
        return values;
    }

    private String query(URI prometheus, String promql) throws IOException, InterruptedException {
        return get(prometheus.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    }

    private String get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private interface Fetch {
        String get() throws IOException, InterruptedException;
    }

    /**
     * Fetches every 100 ms until {@code done} accepts the answer, at most {@code timeout}; returns that
     * answer. A fetch that fails (the process not listening yet) counts as not done.
     */
    private String await(String what, Duration timeout, Fetch fetch, Predicate<String> done) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true) {
            try {
                last = fetch.get();
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            assertThat(System.nanoTime() - deadline).as("%s within %s; last answer: %s%n%s", what, timeout, last, tails())
                    .isNegative();
            Thread.sleep(100);
        }
    }

    private void awaitLog(File log, String line, Duration timeout) throws Exception {
        await("'" + line + "' in " + log.getName(), timeout, () -> Files.readString(log.toPath()), text -> text.contains(line));
    }

    /** Starts a process with its output in {@code logName} under the test's directory; stopped after the test. */
    private Process launch(ProcessBuilder builder, String logName) throws IOException {
        final File log = new File(dir, logName);
        final Process process = builder.redirectErrorStream(true).redirectOutput(log).start();
        processes.add(process);
        logs.add(log);
        return process;
    }

    /** The last lines of every process's log, for a failure's message. */
    private String tails() {
        final StringBuilder out = new StringBuilder();
        for (File log : logs) {
            try {
                final List<String> lines = Files.readAllLines(log.toPath());
                out.append("--- ").append(log.getName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()))).append('\n');
            } catch (IOException e) {
                out.append("--- ").append(log.getName()).append(": ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
