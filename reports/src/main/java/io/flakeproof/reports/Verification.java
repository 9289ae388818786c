package io.flakeproof.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flakeproof.generator.SystemClock;
import io.flakeproof.simulation.SimulateCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the verification and collects its results into one directory, one file per result, which is
 * all that {@link Results} reads: so a report from {@code --from-results} is the report of that run.
 * Each stage is bounded in time; a stage that fails is recorded as failed (with its message) and the
 * run goes on, so the report shows what failed instead of stopping at it.
 */
final class Verification {

    static final String[] STAGES = {"simulation campaigns", "trade-offs: drift policies and lease windows", "explorer",
            "jcstress", "benchmarks (JMH)", "node under load", "PostgreSQL comparison"};

    private static final Pattern JCSTRESS_RESULTS = Pattern.compile(
            "Results: (\\d+) planned; (\\d+) passed, (\\d+) failed, (\\d+) soft errs, (\\d+) hard errs");

    private final Path root;
    private final Path results;
    private final Plan plan;
    private final Progress progress;
    private final ObjectMapper json = new ObjectMapper();
    private final ArrayNode stages = json.createArrayNode();

    Verification(Path root, Path results, Plan plan, Progress progress) {
        this.root = root;
        this.results = results;
        this.plan = plan;
        this.progress = progress;
    }

    interface Stage {
        /** Runs the stage; returns "not run: why" when it could not run here, else null. */
        String run() throws Exception;
    }

    void runAll() throws IOException {
        Files.createDirectories(results.resolve("logs"));
        Files.createDirectories(results.resolve("simulation"));
        Files.createDirectories(results.resolve("window"));
        final ObjectNode env = environment();
        final long started = SystemClock.INSTANCE.monotonicNanos();
        stage(STAGES[0], "./flakeproof simulate (each campaign's command is in the report)", this::simulation);
        stage(STAGES[1], "./flakeproof report (the drift study runs in-process); ./flakeproof simulate --protocol fenced --scenario partition --window W --session 1000",
                this::tradeOffs);
        stage(STAGES[2], "./flakeproof explore --json explorer.json", this::explorer);
        stage(STAGES[3], "java -jar jcstress/target/jcstress.jar -m " + plan.jcstressMode() + " -time " + plan.jcstressTime()
                + (plan.quick() ? " -fsm 0" : "") + " -t io.flakeproof", this::jcstress);
        stage(STAGES[4], "java -jar jmh/target/benchmarks.jar ... -rf json", this::benchmarks);
        stage(STAGES[5], "./flakeproof serve; ./flakeproof load --rate " + plan.loadRate() + " --warmup " + plan.loadWarmup()
                + " --duration " + plan.loadDuration() + " --gate-p99-ms 1", this::load);
        stage(STAGES[6], "./flakeproof report (PostgreSQL " + "started by the run)", this::postgres);
        env.put("total_seconds", (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9);
        write("environment.json", env);
        write("stages.json", stages);
    }

    private void stage(String name, String command, Stage stage) throws IOException {
        progress.stage(name);
        final long started = SystemClock.INSTANCE.monotonicNanos();
        final ObjectNode s = stages.addObject().put("name", name).put("command", command);
        try {
            final String notRun = stage.run();
            s.put("status", notRun == null ? "ok" : "not run");
            if (notRun != null) {
                s.put("message", notRun);
                progress.step("not run: " + notRun);
            }
        } catch (Exception e) {
            s.put("status", "failed").put("message", String.valueOf(e.getMessage()));
            progress.step("FAILED: " + e.getMessage());
        }
        s.put("seconds", (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9);
        write("stages.json", stages);
    }

    // ---- the stages ----

    private String simulation() throws Exception {
        int i = 0;
        for (Plan.Campaign c : plan.campaigns()) {
            i++;
            progress.step(String.format(Locale.ROOT, "campaign %d/%d: %s", i, plan.campaigns().size(), c.command()));
            final List<String> args = new ArrayList<>(c.args());
            args.addAll(List.of("--json", results.resolve("simulation/" + c.name() + ".json").toString()));
            progress.watch(log("simulate-" + c.name()));
            final int code = simulate(args, log("simulate-" + c.name()));
            if (code != 0 && code != 1 && code != 3) {
                throw new IOException(c.command() + " exited " + code + "; see " + log("simulate-" + c.name()));
            }
        }
        return null;
    }

    /**
     * One {@code flakeproof simulate} in this JVM (its campaigns share one warmed-up JIT), output into
     * {@code log}. The launcher runs the report with {@code -ea}, as it runs {@code simulate}, so that the
     * lease core's assertions hold in every campaign; without them the campaign would check less.
     */
    private static int simulate(List<String> args, Path log) throws IOException {
        if (!SimulateCommand.class.desiredAssertionStatus()) {
            throw new IOException("the simulation must run with assertions on (java -ea); ./flakeproof report does so");
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            return SimulateCommand.execute(args.toArray(String[]::new), w, w);
        }
    }

    private String tradeOffs() throws Exception {
        progress.step("drift policies over backward steps, in virtual time on the real generator");
        write("drift.json", DriftStudy.run(json));
        for (long w : plan.windowsMs()) {
            progress.step("lease window " + w + " ms: " + plan.windowSeeds() + " seeds of fenced, partition");
            final List<String> cmd = List.of("--protocol", "fenced", "--scenario", "partition", "--seeds",
                    Integer.toString(plan.windowSeeds()), "--window", Long.toString(w), "--session", "1000", "--json",
                    results.resolve("window/" + w + ".json").toString());
            progress.watch(log("window-" + w));
            final int code = simulate(cmd, log("window-" + w));
            if (code != 0 && code != 1 && code != 3) {
                throw new IOException("./flakeproof simulate " + String.join(" ", cmd) + " exited " + code);
            }
        }
        return null;
    }

    private String explorer() throws Exception {
        final String launcher = Files.readString(root.resolve("flakeproof"), StandardCharsets.UTF_8);
        if (!launcher.contains("explore)")) {
            return "this checkout has no explorer (./flakeproof explore)";
        }
        progress.watch(log("explore"));
        // Quick: 2 holders on 1 worker to depth 18 with 1 fault (seconds). Full: depth 25 with 1 fault and 2
        // ticks of time (about 2.5 minutes here; simulation/README.md, "Bounds and state counts").
        final List<String> cmd = new ArrayList<>(List.of(root.resolve("flakeproof").toString(), "explore", "--protocol",
                "fenced", "--faults", "1", "--json", results.resolve("explorer.json").toString()));
        cmd.addAll(plan.quick() ? List.of("--depth", "18", "--ticks", "1") : List.of("--depth", "25", "--ticks", "2"));
        final int code = Proc.run(cmd, root, log("explore"), 3600);
        if (!Files.exists(results.resolve("explorer.json"))) {
            throw new IOException("./flakeproof explore exited " + code + " and wrote no results; see " + log("explore"));
        }
        return null;
    }

    private String jcstress() throws Exception {
        final Path jar = root.resolve("jcstress/target/jcstress.jar");
        build(jar, "jcstress");
        final Path out = log("jcstress");
        final Path dir = Files.createDirectories(results.resolve("logs/jcstress-run"));
        progress.watch(out);
        final int code = Proc.run(List.of("java", "-jar", jar.toString(), "-m", plan.jcstressMode(), "-sc", "false", "-time",
                plan.jcstressTime(), "-strideCount", "2", "-strideSize", "128", "-fsm", plan.quick() ? "0" : "1", "-t", "io.flakeproof"), dir, out, 3600);
        final String text = Files.readString(out, StandardCharsets.UTF_8);
        final Matcher m = JCSTRESS_RESULTS.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        if (last == null) {
            throw new IOException("jcstress printed no results (exit " + code + "); see " + out);
        }
        final Matcher r = JCSTRESS_RESULTS.matcher(last);
        r.find();
        final ObjectNode n = json.createObjectNode().put("mode", plan.jcstressMode()).put("time_ms", plan.jcstressTime())
                .put("exit_code", code).put("planned", Long.parseLong(r.group(1))).put("passed", Long.parseLong(r.group(2)))
                .put("failed", Long.parseLong(r.group(3))).put("soft_errors", Long.parseLong(r.group(4)))
                .put("hard_errors", Long.parseLong(r.group(5)));
        final ArrayNode tests = n.putArray("tests");
        final Path list = log("jcstress-list");
        Proc.run(List.of("java", "-jar", jar.toString(), "-l", "-t", "io.flakeproof"), dir, list, 300);
        Files.readAllLines(list).stream().map(String::strip).filter(x -> x.startsWith("io.flakeproof.")).sorted().forEach(tests::add);
        final Matcher unschedulable = Pattern.compile("(\\d+) actors:\\s+No scheduling is possible").matcher(text);
        final ArrayNode skipped = n.putArray("unschedulable_actor_counts");
        while (unschedulable.find()) {
            skipped.add(Integer.parseInt(unschedulable.group(1)));
        }
        write("jcstress.json", n);
        return null;
    }

    private String benchmarks() throws Exception {
        final Path jar = root.resolve("jmh/target/benchmarks.jar");
        build(jar, "jmh");
        final String methods = plan.jmhTwoThreads() ? "(oneThread|twoThreads)" : "oneThread";
        progress.step("throughput, " + plan.jmhThroughputImpls().size() + " implementations");
        final List<String> thr = new ArrayList<>(List.of("java", "-jar", jar.toString(),
                "io\\.flakeproof\\.jmh\\.NextIdBenchmark\\." + methods + "$", "-bm", "thrpt", "-tu", "s", "-p",
                "impl=" + String.join(",", plan.jmhThroughputImpls())));
        thr.addAll(plan.jmhOptions());
        thr.addAll(List.of("-rf", "json", "-rff", results.resolve("jmh-throughput.json").toString()));
        progress.watch(log("jmh-throughput"));
        check(Proc.run(thr, root, log("jmh-throughput"), 3600), "JMH throughput", log("jmh-throughput"));
        progress.step("every call timed, " + plan.jmhEveryCallImpls().size() + " implementations");
        final Path percentiles = results.resolve("everycall-percentiles.jsonl");
        Files.deleteIfExists(percentiles);
        final String every = plan.jmhTwoThreads() ? "(saturatedOneThread|saturatedTwoThreads)" : "saturatedOneThread";
        final List<String> ec = new ArrayList<>(List.of("java", "-jar", jar.toString(),
                "io\\.flakeproof\\.jmh\\.NextIdEveryCall\\." + every + "$", "-p",
                "impl=" + String.join(",", plan.jmhEveryCallImpls()), "-jvmArgsAppend", "-Dflakeproof.everycall=" + percentiles));
        ec.addAll(plan.jmhOptions());
        ec.addAll(List.of("-rf", "json", "-rff", results.resolve("jmh-everycall.json").toString()));
        progress.watch(log("jmh-everycall"));
        check(Proc.run(ec, root, log("jmh-everycall"), 3600), "JMH every call", log("jmh-everycall"));
        return null;
    }

    private String load() throws Exception {
        final Path work = Files.createTempDirectory("flakeproof-report-node");
        final int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        final Path nodeLog = log("node");
        progress.step("starting a node (embedded ZooKeeper) on port " + port);
        final Process node = Proc.start(List.of(root.resolve("flakeproof").toString(), "serve", "--port", Integer.toString(port),
                "--zookeeper-port", "0", "--data-dir", work.resolve("data").toString()), root, nodeLog);
        try {
            waitFor(nodeLog, "serving on", node, 180);
            // --baseline: the same plan against a trivial server first (nginx, or Netty without it), in the
            // same run; its figures are the node's JSON's "floor".
            loadRun("load-node", "http://127.0.0.1:" + port, 1, plan.loadRate(), 8, true);
            if (plan.loadBatches()) {
                loadRun("load-node-batches", "http://127.0.0.1:" + port, 1000, plan.loadRate(), 16, false);
            }
        } finally {
            node.toHandle().descendants().forEach(ProcessHandle::destroy);
            node.destroy();
            node.waitFor();
        }
        return null;
    }

    private void loadRun(String name, String url, int count, int rate, int connections, boolean gate) throws Exception {
        progress.step(name + ": " + rate + " requests/s of " + count + " ID(s), warm-up " + plan.loadWarmup() + ", measured "
                + plan.loadDuration());
        final List<String> cmd = new ArrayList<>(List.of(root.resolve("flakeproof").toString(), "load", "--url", url,
                "--rate", Integer.toString(rate), "--duration", plan.loadDuration(), "--warmup", plan.loadWarmup(),
                "--count", Integer.toString(count), "--connections", Integer.toString(connections),
                "--json", results.resolve(name + ".json").toString()));
        if (gate) {
            cmd.addAll(List.of("--gate-p99-ms", "1", "--baseline"));
        }
        progress.watch(log(name));
        final int code = Proc.run(cmd, root, log(name), 3600);
        if (!Files.exists(results.resolve(name + ".json"))) {
            throw new IOException("./flakeproof load exited " + code + " and wrote no results; see " + log(name));
        }
    }

    private String postgres() throws Exception {
        if (Postgres.findBin() == null) {
            throw new IOException("PostgreSQL is not installed (Debian's postgresql package; .ci/run installs it)");
        }
        write("postgres.json", new PgStudy(plan.pg(), json, progress).run(log("postgres")));
        return null;
    }

    // ---- helpers ----

    private ObjectNode environment() throws IOException {
        final ObjectNode env = json.createObjectNode();
        env.put("date", Instant.ofEpochMilli(SystemClock.INSTANCE.wallMillis()).toString());
        env.put("quick", plan.quick());
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        env.put("commit", git("rev-parse", "--short", "HEAD"));
        env.put("uncommitted_changes", !git("status", "--porcelain", "--untracked-files=no").isEmpty());
        final Path loadavg = Path.of("/proc/loadavg");
        if (Files.exists(loadavg)) {
            env.put("load_average_at_start", Files.readString(loadavg).strip());
        }
        write("environment.json", env);
        return env;
    }

    private String git(String... args) {
        try {
            final List<String> cmd = new ArrayList<>(List.of("git", "-C", root.toString()));
            cmd.addAll(List.of(args));
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private void build(Path jar, String module) throws Exception {
        if (!Files.exists(jar)) {
            progress.step("building " + module + " (its jar is missing)");
            check(Proc.run(List.of("mvn", "-q", "-B", "-f", root.resolve("pom.xml").toString(), "-DskipTests", "-pl", module,
                    "-am", "package"), root, log("build-" + module), 1800), "the " + module + " build", log("build-" + module));
        }
    }

    private static void waitFor(Path log, String text, Process p, long seconds) throws Exception {
        final long deadline = SystemClock.INSTANCE.monotonicNanos() + seconds * 1_000_000_000L;
        while (SystemClock.INSTANCE.monotonicNanos() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IOException("the node exited " + p.exitValue() + " before serving; see " + log);
            }
            Thread.sleep(200);
        }
        throw new IOException("the node did not print '" + text + "' within " + seconds + " s; see " + log);
    }

    private static void check(int code, String what, Path log) throws IOException {
        if (code != 0) {
            throw new IOException(what + " exited " + code + "; see " + log);
        }
    }

    private Path log(String name) {
        return results.resolve("logs/" + name + ".log");
    }

    private void write(String name, Object node) throws IOException {
        json.writerWithDefaultPrettyPrinter().writeValue(results.resolve(name).toFile(), node);
    }
}
