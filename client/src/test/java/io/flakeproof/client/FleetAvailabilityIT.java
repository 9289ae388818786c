package io.flakeproof.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.registry.TestPorts;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet's availability with real processes: a standalone ZooKeeper (Debian's package), three
 * {@code flakeproof serve} nodes, and the client under steady load while one node is killed with
 * SIGKILL, another is frozen with SIGSTOP past its session and resumed, and ZooKeeper is stopped for
 * less than the lease window and started again. Every ID must be distinct and no client call may fail;
 * the client's p99.9 during the faults and the killed worker's reuse delay are printed. Then the same
 * fleet behind HAProxy ({@code docs/haproxy.cfg}): plain HTTP requests while a node is killed, counted
 * as failed or not, once without HAProxy's retries and once with them.
 *
 * <p>Sessions are 4 s and the lease window 10 s. The pool has four workers (layout 41/0/2/20) and a fourth node holds the spare one, outside the
 * client's list: the killed node's replacement can then only get the killed node's worker, once its
 * session expired and the clock passed its last ceiling, which is the reuse delay measured.
 *
 * <p>Run by the {@code fleet} profile: {@code mvn -B -ntp -pl client -am verify -Pfleet -Dtest=NONE
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dfleet.seconds=120} for the long run; 30 s by default).
 */
class FleetAvailabilityIT {

    private static final String LAYOUT = "41/0/2/20";
    private static final String SESSION = "4s";
    private static final long SESSION_MS = 4_000;
    private static final String WINDOW = "10s";
    /**
     * ZooKeeper is down for less than the lease window and the session: the nodes keep minting on their
     * acknowledged ceilings and keep their sessions. (An outage longer than the session loses every
     * node's lease at once; each then waits for a new term above its old ceiling.)
     */
    private static final long ZK_OUTAGE_MS = 3_000;
    /** The frozen node stays frozen for twice its session: ZooKeeper expires it meanwhile. */
    private static final long FREEZE_MS = 2 * SESSION_MS;

    private final long seconds = Long.getLong("fleet.seconds", 30);
    private final int rate = Integer.getInteger("fleet.rate", 200_000);
    private final Path jar = Path.of(System.getProperty("fleet.jar", "../service/target/flakeproof.jar"));
    private final Path haproxyConfig = Path.of(System.getProperty("fleet.haproxy", "../docs/haproxy.cfg"));

    @TempDir
    File dir;

    private final List<Process> processes = new ArrayList<>();

    /** Calls slower than this are listed with their time since the load started (the first 50). */
    private static final long SLOW_CALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private final ConcurrentLinkedQueue<String> slowCalls = new ConcurrentLinkedQueue<>();
    private volatile long loadStart;
    /** When each fault began, since the load started, for reading the slow calls against. */
    private final List<String> timeline = new ArrayList<>();

    @Test
    void theClientNeverFailsAndNoIdRepeatsThroughKillsFreezesAndARegistryOutage() throws Exception {
        final int zkPort = Ports.free();
        final ZooKeeperProcess zk = new ZooKeeperProcess(new File(dir, "zk"), zkPort);
        final List<String> report = new ArrayList<>();
        try {
            zk.start();
            final String cluster = "fleet";
            final NodeProcess a = new NodeProcess("a", zkPort, cluster);
            final NodeProcess b = new NodeProcess("b", zkPort, cluster);
            final NodeProcess c = new NodeProcess("c", zkPort, cluster);
            final NodeProcess spare = new NodeProcess("spare", zkPort, cluster);
            for (NodeProcess node : List.of(a, b, c, spare)) {
                node.start(Duration.ofSeconds(60));
            }

            final long[] ids = new long[(int) Math.min(Integer.MAX_VALUE - 8, (seconds + 5) * (long) rate) + 1_000_000];
            final AtomicLong count = new AtomicLong();
            final Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final Histogram duringFaults = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            final AtomicBoolean inFaults = new AtomicBoolean();
            final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            final AtomicBoolean running = new AtomicBoolean(true);
            final long reuseMs;
            final long faultsMs;
            try (FlakeproofClient client = FlakeproofClient.builder().nodes(a.uri(), b.uri(), c.uri()).build()) {
                final Thread load = new Thread(() -> steadyLoad(client, ids, count, all, duringFaults, inFaults,
                        failures, running), "fleet-load");
                load.start();
                final long start = System.nanoTime();
                final long total = TimeUnit.SECONDS.toMillis(seconds);

                sleepUntil(start, total / 8);
                inFaults.set(true);
                final long faultsStart = System.nanoTime();
                final long killWorker = a.worker();
                mark("SIGKILL a");
                a.kill();
                final long killed = System.nanoTime();
                // The replacement restarts on the killed node's port and data directory, as a supervisor would,
                // while the other faults go on.
                final CompletableFuture<Void> replacement = CompletableFuture.runAsync(() -> {
                    try {
                        a.startUntilServing(Duration.ofSeconds(60));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });

                sleepUntil(start, total * 3 / 8);
                mark("SIGSTOP b");
                b.signal("STOP");
                Thread.sleep(FREEZE_MS);
                mark("SIGCONT b");
                b.signal("CONT");
                report.add(String.format(Locale.ROOT, "SIGSTOP node b for %,d ms (session %s), then SIGCONT", FREEZE_MS,
                        SESSION));

                sleepUntil(start, Math.max(total * 5 / 8, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                mark("ZooKeeper stopped");
                zk.stop();
                Thread.sleep(ZK_OUTAGE_MS);
                mark("ZooKeeper starting");
                zk.start();
                // Let the nodes reconnect and renew before the fault window closes.
                Thread.sleep(2 * SESSION_MS);
                inFaults.set(false);
                faultsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultsStart);
                report.add(String.format(Locale.ROOT, "ZooKeeper stopped for %,d ms (lease window %s), then restarted",
                        ZK_OUTAGE_MS, WINDOW));

                replacement.get(60, TimeUnit.SECONDS);
                timeline.add(String.format(Locale.ROOT, "%.3f s: replacement of a serving",
                        (a.servingSinceNanos() - loadStart) / 1e9));
                timeline.sort(java.util.Comparator.comparingDouble(line -> Double.parseDouble(line.split(" ", 2)[0])));
                report.add("timeline: " + String.join(", ", timeline));
                report.add("calls over 1 ms: " + (slowCalls.isEmpty() ? "none" : String.join(", ", slowCalls)));
                reuseMs = TimeUnit.NANOSECONDS.toMillis(a.servingSinceNanos() - killed);
                report.add(String.format(Locale.ROOT, "SIGKILL node a (worker %d): its replacement serves as worker %d"
                        + " %,d ms after the kill", killWorker, a.worker(), reuseMs));
                assertThat(a.worker()).as("the replacement's worker, the only one free").isEqualTo(killWorker);

                sleepUntil(start, Math.max(total, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                running.set(false);
                load.join(TimeUnit.SECONDS.toMillis(30));
                final ClientStats stats = client.stats();
                report.add(String.format(Locale.ROOT, "client: %,d IDs in %d s at %,d IDs/s, %d failed calls;"
                        + " p99.9 %,d ns overall; during the %,d ms of faults p99 %,d ns, p99.9 %,d ns, p99.99 %,d ns,"
                        + " max %,d ns; %d range requests, %d failed, %d failovers, %d hedges, %d circuit openings;"
                        + " %d calls found the buffer empty and waited %,d ms in all",
                        count.get(), seconds, rate, failures.size(), all.getValueAtPercentile(99.9), faultsMs,
                        duringFaults.getValueAtPercentile(99.0), duringFaults.getValueAtPercentile(99.9),
                        duringFaults.getValueAtPercentile(99.99), duringFaults.getMaxValue(), stats.requests(),
                        stats.failedRequests(), stats.failovers(), stats.hedges(), stats.circuitOpenings(),
                        stats.waits(), TimeUnit.NANOSECONDS.toMillis(stats.waitNanos())));
            }
            assertThat(failures).as("failed client calls").isEmpty();
            final int n = (int) count.get();
            assertThat(n).isGreaterThan((int) (seconds * rate * 9 / 10));

            // Behind HAProxy: once without retries (node c killed), once with them (node a killed).
            final List<Long> httpIds = new ArrayList<>();
            report.add(behindHaproxy(false, List.of(a, b, c), c, httpIds));
            report.add(behindHaproxy(true, List.of(a, b, c), a, httpIds));

            final long[] every = Arrays.copyOf(ids, n + httpIds.size());
            for (int i = 0; i < httpIds.size(); i++) {
                every[n + i] = httpIds.get(i);
            }
            Arrays.sort(every);
            long repeats = 0;
            for (int i = 1; i < every.length; i++) {
                if (every[i] == every[i - 1]) {
                    repeats++;
                }
            }
            report.add(String.format(Locale.ROOT, "%,d IDs in all (client and HTTP), %d repeated", every.length, repeats));
            assertThat(repeats).as("IDs handed out twice").isZero();
        } finally {
            report.forEach(line -> System.out.println("fleet: " + line));
            Files.write(Path.of("target", "fleet-summary.txt"), report, StandardCharsets.UTF_8);
            for (Process process : processes) {
                process.destroyForcibly();
            }
            zk.stop();
        }
    }

    /**
     * Plain HTTP through HAProxy at about 1,000 requests/s on four connections; {@code victim} is killed
     * after 2 s and the load goes on for 4 s more. Returns the line that counts the failed requests.
     */
    private String behindHaproxy(boolean retries, List<NodeProcess> fleet, NodeProcess victim, List<Long> ids)
            throws Exception {
        final int port = Ports.free();
        String config = Files.readString(haproxyConfig);
        config = config.replace("bind 127.0.0.1:8080", "bind 127.0.0.1:" + port);
        for (int i = 0; i < fleet.size(); i++) {
            config = config.replace("127.0.0.1:808" + (i + 1), "127.0.0.1:" + fleet.get(i).port());
        }
        if (!retries) {
            config = config.replace("    retries 3\n", "    retries 0\n").replace("    option redispatch 1\n", "")
                    .replace("    retry-on all-retryable-errors\n", "");
        }
        final Path file = new File(dir, "haproxy-" + retries + ".cfg").toPath();
        Files.writeString(file, config);
        final Process haproxy = launch(new ProcessBuilder("haproxy", "-f", file.toString(), "-db"),
                new File(dir, "haproxy-" + retries + ".log"));
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        final URI uri = URI.create("http://127.0.0.1:" + port + "/ids?count=1");
        awaitOk(http, uri);
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final ConcurrentLinkedQueue<String> reasons = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> minted = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final Thread sender = new Thread(() -> {
                long next = System.nanoTime();
                while (running.get()) {
                    sent.incrementAndGet();
                    try {
                        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            final String body = response.body();
                            minted.add(Long.parseLong(body.substring(body.indexOf('[') + 1, body.indexOf(']'))));
                        } else {
                            failed.incrementAndGet();
                            reasons.add("status " + response.statusCode());
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        reasons.add(e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(4);
                    LockSupport.parkNanos(next - System.nanoTime());
                }
            }, "fleet-http-" + t);
            sender.start();
            senders.add(sender);
        }
        Thread.sleep(2_000);
        final long sentBeforeKill = sent.get();
        victim.kill();
        Thread.sleep(4_000);
        running.set(false);
        for (Thread sender : senders) {
            sender.join(TimeUnit.SECONDS.toMillis(10));
        }
        haproxy.destroy();
        haproxy.waitFor(10, TimeUnit.SECONDS);
        ids.addAll(minted);
        return String.format(Locale.ROOT, "HAProxy %s retries: %,d plain HTTP requests (%,d before the SIGKILL),"
                + " %d failed%s", retries ? "with" : "without", sent.get(), sentBeforeKill, failed.get(),
                reasons.isEmpty() ? "" : " (first: " + reasons.peek() + ")");
    }

    private static void awaitOk(HttpClient http, URI uri) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // HAProxy is not listening yet, or has not seen a healthy node yet.
            }
            assertThat(System.nanoTime() - deadline).as("HAProxy answers within 20 s").isNegative();
            Thread.sleep(50);
        }
    }

    /**
     * {@code rate} IDs per second in slots of 1 ms, every call timed, until {@code running} turns false.
     * The calls of a slot run back to back; the thread parks until the next slot.
     */
    private void steadyLoad(FlakeproofClient client, long[] ids, AtomicLong count, Histogram all,
            Histogram duringFaults, AtomicBoolean inFaults, ConcurrentLinkedQueue<String> failures,
            AtomicBoolean running) {
        final int perSlot = rate / 1000;
        long slot = System.nanoTime();
        loadStart = slot;
        int n = 0;
        while (running.get() && n + perSlot < ids.length) {
            final boolean faults = inFaults.get();
            for (int i = 0; i < perSlot; i++) {
                final long start = System.nanoTime();
                try {
                    ids[n++] = client.nextId();
                } catch (RuntimeException e) {
                    n--;
                    failures.add(e.toString());
                }
                final long took = System.nanoTime() - start;
                if (took > SLOW_CALL_NANOS && slowCalls.size() < 50) {
                    slowCalls.add(String.format(Locale.ROOT, "%.3f s: %,d ms", (start - loadStart) / 1e9,
                            took / 1_000_000));
                }
                all.recordValue(Math.min(took, all.getHighestTrackableValue()));
                if (faults) {
                    duringFaults.recordValue(Math.min(took, duringFaults.getHighestTrackableValue()));
                }
            }
            count.set(n);
            slot += 1_000_000;
            LockSupport.parkNanos(slot - System.nanoTime());
        }
    }

    private void mark(String event) {
        timeline.add(String.format(Locale.ROOT, "%.3f s: %s", (System.nanoTime() - loadStart) / 1e9, event));
    }

    private static void sleepUntil(long startNanos, long offsetMs) throws InterruptedException {
        final long left = startNanos + TimeUnit.MILLISECONDS.toNanos(offsetMs) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private Process launch(ProcessBuilder builder, File log) throws IOException {
        final Process process = builder.redirectErrorStream(true).redirectOutput(log).start();
        processes.add(process);
        return process;
    }

    /** Debian's standalone ZooKeeper on loopback, tickTime 500 ms (sessions of 1 to 10 s). */
    private final class ZooKeeperProcess {
        private final File home;
        private final int port;
        private Process process;
        private int starts;

        ZooKeeperProcess(File home, int port) throws IOException {
            this.home = home;
            this.port = port;
            Files.createDirectories(new File(home, "data").toPath());
            Files.writeString(new File(home, "zoo.cfg").toPath(), String.join("\n",
                    "tickTime=500", "initLimit=10", "syncLimit=5", "dataDir=" + new File(home, "data"),
                    "clientPort=" + port, "clientPortAddress=127.0.0.1", "admin.enableServer=false",
                    "maxSessionTimeout=10000", ""));
        }

        void start() throws Exception {
            process = launch(new ProcessBuilder("java", "-cp", "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar",
                    "org.apache.zookeeper.server.ZooKeeperServerMain", new File(home, "zoo.cfg").toString()),
                    new File(home, "zk-" + (++starts) + ".log"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Ports.listening(port)) {
                assertThat(process.isAlive()).as("ZooKeeper is running (see %s)", home).isTrue();
                assertThat(System.nanoTime() - deadline).as("ZooKeeper listens within 30 s").isNegative();
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One {@code flakeproof serve} process on a fixed port and data directory, restartable. */
    private final class NodeProcess {
        private final String name;
        private final int zkPort;
        private final String cluster;
        private final int port;
        private final File data;
        private Process process;
        private File log;
        private int starts;
        private long worker = -1;
        private long servingSinceNanos;

        NodeProcess(String name, int zkPort, String cluster) throws IOException {
            this.name = name;
            this.zkPort = zkPort;
            this.cluster = cluster;
            this.port = Ports.free();
            this.data = new File(dir, "node-" + name);
        }

        int port() {
            return port;
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port);
        }

        long worker() {
            return worker;
        }

        long servingSinceNanos() {
            return servingSinceNanos;
        }

        void start(Duration timeout) throws Exception {
            log = new File(dir, "node-" + name + "-" + (++starts) + ".log");
            process = launch(new ProcessBuilder("java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString(), "serve",
                    "--port", Integer.toString(port), "--zookeeper", "127.0.0.1:" + zkPort, "--cluster", cluster,
                    "--layout", LAYOUT, "--data-dir", data.toString(), "--session-timeout", SESSION,
                    "--lease-window", WINDOW), log);
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                final String text = Files.readString(log.toPath());
                final int at = text.indexOf(" as worker ");
                if (at >= 0) {
                    servingSinceNanos = System.nanoTime();
                    worker = Long.parseLong(text.substring(at + " as worker ".length()).split(" ", 2)[0]);
                    return;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("node " + name + " exited: " + text);
                }
                assertThat(System.nanoTime() - deadline).as("node %s serves within %s: %s", name, timeout, text)
                        .isNegative();
                Thread.sleep(10);
            }
        }

        /** Starts again and again until a start serves: a start that finds no free worker gives up and exits. */
        void startUntilServing(Duration timeout) throws Exception {
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    start(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    return;
                } catch (IllegalStateException exited) {
                    assertThat(System.nanoTime() - deadline).as("node %s serves within %s: %s", name, timeout,
                            exited.getMessage()).isNegative();
                }
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        void signal(String signal) throws Exception {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
            assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
        }
    }

    /** Loopback ports. */
    private static final class Ports {
        /** Below the ephemeral range: ZooKeeper restarts on its port, which a client's reconnect could take meanwhile. */
        static int free() {
            return TestPorts.free();
        }

        static boolean listening(int port) {
            try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
