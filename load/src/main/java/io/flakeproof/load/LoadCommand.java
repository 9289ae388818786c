package io.flakeproof.load;

import io.flakeproof.cli.Bounds;
import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.Durations;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flakeproof load}: an open-loop HTTP load generator for a flakeproof node. It sends
 * {@code POST /ids?count=N} at a constant rate whatever the node's answers do, measures each
 * request's latency from when it was meant to be sent (corrected for coordinated omission), prints a
 * line a second and a summary, and with {@code --gate-p99-ms} passes or fails the run. With
 * {@code --baseline} too, a run in which the node missed the gate while the trivial server took half
 * the gate or more tells nothing about the node (the machine could not measure the gate then): with
 * {@code --gate-attempts N} such a run is measured again, at most N runs in all. The floor is measured
 * before the node and, when the node missed, after it too. A run in which the node made the gate
 * decides, and so does one in which the floor stayed under half the gate both before and after. With
 * {@code --turns N} the floor and the node take turns instead, each measured over the same stretch of
 * time, and the run decides when the node made the gate or the floor stayed under half of it; and
 * with {@code --when-inconclusive over-floor}, when every run was inconclusive, their pairs of turns
 * decide by the node's p99 over the floor's in each ({@link Gate#judgeOverFloor}). A request to the
 * node that failed decides its run at once, whatever the floor.
 *
 * <p>Exit codes: 0 done (and, with a gate, passed); 1 gate failed, or the node could not be reached
 * or the JSON file not written; 2 bad options, with one line naming the value and its bound.
 */
@Command(name = "flakeproof load", sortOptions = false, sortSynopsis = false,
        description = "Open-loop HTTP load on a flakeproof node, with latency corrected for coordinated omission.")
public final class LoadCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;

    /** The most runs {@code --gate-attempts} allows: each is a floor and a node measured in full. */
    static final int MAX_GATE_ATTEMPTS = 10;

    /** The most turns {@code --turns} allows. */
    static final int MAX_TURNS = 60;

    /**
     * Unmeasured requests before every turn but each server's first, which has the plan's warm-up: the
     * turn's connections are new.
     */
    static final Duration LEAD_IN = Duration.ofSeconds(1);

    /** How a floor server is started: {@link FloorServer#start}, or a test's floor of known speed. */
    @FunctionalInterface
    interface FloorStarter {
        FloorServer start(FloorServer.Kind kind, int count) throws IOException;
    }

    private final FloorStarter floors;

    @Spec
    private CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", paramLabel = "URL",
            description = "The node, http://HOST[:PORT]; default ${DEFAULT-VALUE}.")
    private String url;

    @Option(names = "--rate", defaultValue = "1000", paramLabel = "R",
            description = "Requests per second, 1 to 1000000; default ${DEFAULT-VALUE}.")
    private long rate;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "D",
            description = "How long to send, 1s to 1h, such as 30s or 5m; default ${DEFAULT-VALUE}.")
    private String duration;

    @Option(names = "--count", defaultValue = "1", paramLabel = "N",
            description = "IDs per request, 1 to 1000000; default ${DEFAULT-VALUE}.")
    private int count;

    @Option(names = "--connections", defaultValue = "8", paramLabel = "C",
            description = "Keep-alive connections, 1 to 1024; default ${DEFAULT-VALUE}.")
    private int connections;

    @Option(names = "--warmup", defaultValue = "0s", paramLabel = "W",
            description = "Send at the same rate for W first, unmeasured, such as 5s; at most 10m; default ${DEFAULT-VALUE}.")
    private String warmup;

    @Option(names = "--gate-p99-ms", paramLabel = "MS",
            description = "Exit 1 unless the corrected p99 is under MS milliseconds and no request failed.")
    private Double gateP99Millis;

    @Option(names = "--baseline", arity = "0..1", fallbackValue = "auto", paramLabel = "SERVER",
            description = "First run the same plan against a trivial server (nginx with a static answer, or a one-loop "
                    + "Netty server if nginx is missing; or name one: auto, nginx, netty), to measure the load generator's "
                    + "own floor in the same run, and print the node's overhead over it.")
    private String baseline;

    @Option(names = "--gate-attempts", defaultValue = "1", paramLabel = "N",
            description = "With --gate-p99-ms and --baseline: measure floor and node again, at most N runs in all (1 to " + MAX_GATE_ATTEMPTS + "), "
                    + "while the node misses the gate with no request failed and the floor takes half the gate or more (measured before the node "
                    + "and, when the node missed, after it; or with --turns, in the same turns): the machine could not "
                    + "measure the gate then. Default ${DEFAULT-VALUE}.")
    private int gateAttempts;

    @Option(names = "--turns", defaultValue = "1", paramLabel = "N",
            description = "With --baseline: the floor and the node take N turns each, alternating, of D/N each (the warm-up "
                    + "before each one's first turn, 1 s unmeasured before every other), so that both are measured over "
                    + "the same stretch of time; 1 to 60, dividing D's seconds. Default ${DEFAULT-VALUE}: the floor's whole "
                    + "run, then the node's.")
    private int turns;

    @Option(names = "--when-inconclusive", defaultValue = "fail", paramLabel = "RULE",
            description = "With --gate-p99-ms, --baseline and --turns: what decides after --gate-attempts runs that were "
                    + "each inconclusive. fail: the gate fails, saying so. over-floor: the node passes when, in more than "
                    + "half of those runs' pairs of turns (a floor turn, then a node turn), its p99 was less than the gate "
                    + "over the floor's, and no request to either failed. Default ${DEFAULT-VALUE}.")
    private String whenInconclusive;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    private Path json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    public static void main(String... args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs one command line, printing to {@code out} and {@code err}.
     *
     * @return the exit code: 0 done or passed, 1 failed, 2 bad options
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(FloorServer::start, out, err, args);
    }

    /** {@link #run(PrintWriter, PrintWriter, String...)} with the floor servers {@code floors} starts. */
    static int run(FloorStarter floors, PrintWriter out, PrintWriter err, String... args) {
        return CommandLines.run(new LoadCommand(floors), "flakeproof load", out, err, args);
    }

    private LoadCommand(FloorStarter floors) {
        this.floors = floors;
    }

    @Override
    public Integer call() {
        final LoadPlan plan = CommandLines.check(spec, () -> LoadPlan.parse(url, rate, duration, count, connections, warmup));
        final Gate gate = gateP99Millis == null ? null : CommandLines.check(spec, () -> new Gate(gateP99Millis));
        final FloorServer.Kind floorKind = baseline == null ? null : CommandLines.check(spec, () -> FloorServer.Kind.parse(baseline));
        CommandLines.check(spec, () -> Bounds.requireIn("gate-attempts", gateAttempts, 1, MAX_GATE_ATTEMPTS));
        if (gateAttempts > 1 && (gate == null || floorKind == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "gate-attempts needs --gate-p99-ms and --baseline: it measures again only when the floor took half the gate or more");
        }
        CommandLines.check(spec, () -> Bounds.requireIn("turns", turns, 1, MAX_TURNS));
        if (turns > 1 && floorKind == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "turns needs --baseline: the turns are the floor's and the node's, alternating");
        }
        final boolean overFloor = CommandLines.check(spec, () -> parseWhenInconclusive(whenInconclusive));
        if (overFloor && (gate == null || turns == 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "when-inconclusive over-floor needs --gate-p99-ms, "
                    + "--baseline and --turns 2 or more: it compares the node with the floor measured in the same turns");
        }
        if (plan.duration().toSeconds() % turns != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "turns must divide the duration's seconds: "
                    + plan.duration().toSeconds() + " s do not make " + turns + " turns of whole seconds");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Measured measured;
        try {
            measured = measure(plan, gate, floorKind, overFloor, out);
        } catch (IOException e) {
            err.println("flakeproof load: " + e.getMessage());
            return EXIT_FAILED;
        }
        final Floor floor = measured.floor();
        final Gate.Verdict verdict = measured.verdict();
        if (json != null) {
            try {
                measured.summary().writeJson(json, gate, verdict, floor == null ? null : floor.summary(),
                        floor == null ? null : floor.server(), measured.overByTurn());
            } catch (IOException e) {
                err.println("flakeproof load: cannot write " + json + ": " + e.getMessage());
                return EXIT_FAILED;
            }
        }
        if (verdict == null) {
            return CommandLine.ExitCode.OK;
        }
        out.println(verdict.line());
        return verdict.passed() ? CommandLine.ExitCode.OK : EXIT_FAILED;
    }

    /**
     * What was measured: the node's last run, the floor before it, and the verdict (null without a gate);
     * in turns, also by how much the node's p99 exceeded the floor's in each pair of turns, in microseconds.
     */
    private record Measured(LoadSummary summary, Floor floor, Gate.Verdict verdict, List<Long> overByTurn) {

        Measured(LoadSummary summary, Floor floor, Gate.Verdict verdict) {
            this(summary, floor, verdict, List.of());
        }
    }

    /**
     * One run (the floor first, with {@code --baseline}), or with {@code --gate-attempts} as many as it
     * takes to be conclusive: see the class comment.
     */
    private Measured measure(LoadPlan plan, Gate gate, FloorServer.Kind floorKind, boolean overFloor, PrintWriter out)
            throws IOException {
        if (turns > 1) {
            return measureInTurns(plan, gate, floorKind, overFloor, out);
        }
        for (int attempt = 1; ; attempt++) {
            final Floor floor = floorKind == null ? null : measureFloor(floorKind, plan, out);
            if (floor != null) {
                out.println();
                out.println("the node:");
            }
            final LoadSummary summary = LoadRun.run(plan, out);
            summary.print(out);
            if (floor != null) {
                out.println(floor.summary().overheadLine(summary));
            }
            if (gate == null) {
                return new Measured(summary, floor, null);
            }
            final Gate.Verdict judged = gate.judge(summary.p99Micros(), summary.failed(), summary.requests());
            if (floor == null) {
                return new Measured(summary, null, judged);
            }
            final String line = judged.line() + "; the floor (" + floor.server() + ") measured p99 "
                    + LoadSummary.millis(floor.summary().p99Micros()) + " ms in the same run";
            if (judged.passed()) {
                return new Measured(summary, floor, new Gate.Verdict(true, line));
            }
            if (summary.failed() > 0) {
                return failedRequests(summary, floor, line);
            }
            if (leavesRoom(gate, floor.summary())) {
                if (gateAttempts == 1) {
                    return new Measured(summary, floor, new Gate.Verdict(false, line));
                }
                // The floor made the gate before the node ran; the machine may have turned busy since.
                out.println();
                out.println("the node missed the gate; the floor again, after it:");
                final Floor after = measureFloor(floorKind, plan, out);
                final String both = line + ", and p99 " + LoadSummary.millis(after.summary().p99Micros()) + " ms after it";
                if (leavesRoom(gate, after.summary())) {
                    return new Measured(summary, floor, new Gate.Verdict(false, both));
                }
                if (attempt == gateAttempts) {
                    return new Measured(summary, floor, inconclusive(gate, both));
                }
            } else if (attempt == gateAttempts) {
                return new Measured(summary, floor, inconclusive(gate, line));
            }
            out.println("inconclusive: the node missed the gate, and the floor took half the gate or more, so the machine "
                    + "could not measure it then; measuring both again (run " + (attempt + 1) + " of " + gateAttempts + ")");
            out.println();
        }
    }

    /**
     * With {@code --turns}: per run, the floor and the node take turns, and the run decides when the
     * node made the gate, or the floor made it over the same stretch of time (then the miss is the
     * node's); else it is measured again, at most {@code --gate-attempts} runs. After that many
     * inconclusive runs, with {@code overFloor}, their pairs of turns decide by
     * {@link Gate#judgeOverFloor}; without, the gate fails as inconclusive.
     */
    private Measured measureInTurns(LoadPlan plan, Gate gate, FloorServer.Kind floorKind, boolean overFloor,
                                    PrintWriter out) throws IOException {
        final List<LoadSummary> nodeRuns = new ArrayList<>();
        final List<LoadSummary> floorRuns = new ArrayList<>();
        final List<Long> overByTurn = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            final Measured measured = oneRunInTurns(plan, floorKind, out);
            final Floor floor = measured.floor();
            final LoadSummary summary = measured.summary();
            if (gate == null) {
                return measured;
            }
            final Gate.Verdict judged = gate.judge(summary.p99Micros(), summary.failed(), summary.requests());
            final String line = judged.line() + "; the floor (" + floor.server() + ") measured p99 "
                    + LoadSummary.millis(floor.summary().p99Micros()) + " ms in turns with the node";
            if (judged.passed()) {
                return new Measured(summary, floor, new Gate.Verdict(true, line));
            }
            if (summary.failed() > 0) {
                return failedRequests(summary, floor, line);
            }
            if (leavesRoom(gate, floor.summary())) {
                return new Measured(summary, floor, new Gate.Verdict(false, line + ", under half the gate: the miss is the node's"));
            }
            nodeRuns.add(summary);
            floorRuns.add(floor.summary());
            overByTurn.addAll(measured.overByTurn());
            if (attempt == gateAttempts && overFloor) {
                return overTheFloor(plan, gate, floor.server(), nodeRuns, floorRuns, overByTurn, out);
            }
            if (attempt == gateAttempts) {
                return new Measured(summary, floor, inconclusive(gate, line));
            }
            out.println("inconclusive: the node missed the gate, and the floor took half the gate or more in the same turns, "
                    + "so the machine could not measure it then; measuring both again (run " + (attempt + 1) + " of "
                    + gateAttempts + ")");
            out.println();
        }
    }

    /**
     * The verdict of {@code --when-inconclusive over-floor}: over the inconclusive runs' pairs of turns,
     * the node's p99 against the floor's in the same pair ({@link Gate#judgeOverFloor}). Their turns
     * together are printed too, and written as the summary.
     */
    private static Measured overTheFloor(LoadPlan plan, Gate gate, String server, List<LoadSummary> nodeRuns,
                                         List<LoadSummary> floorRuns, List<Long> overByTurn, PrintWriter out) {
        final int runs = nodeRuns.size();
        final LoadSummary node = LoadSummary.combine(plan, nodeRuns);
        final LoadSummary floor = LoadSummary.combine(plan, floorRuns);
        out.println((runs == 1 ? "the only run was inconclusive: the floor took half the gate or more"
                : "run " + runs + " of " + runs + " was inconclusive too: the floor took half the gate or more in each")
                + ", so the node is judged over the floor, pair of turns by pair");
        out.println();
        final String together = runs == 1 ? "its turns" : "its turns of all " + runs + " runs together";
        out.println("the floor, " + together + ":");
        floor.print(out);
        out.println("the node, " + together + ":");
        node.print(out);
        out.println(floor.overheadLine(node));
        return new Measured(node, new Floor(server, floor),
                gate.judgeOverFloor(overByTurn, node.failed(), node.requests(), floor.failed(), runs), overByTurn);
    }

    /** A run in which a request to the node failed: it fails, however busy the floor was. */
    private static Measured failedRequests(LoadSummary summary, Floor floor, String line) {
        return new Measured(summary, floor, new Gate.Verdict(false, line + ": a failed request is the node's, whatever the floor"));
    }

    /** {@code fail} or {@code over-floor}: whether {@code --when-inconclusive} judges over the floor. */
    static boolean parseWhenInconclusive(String text) {
        return switch (text) {
            case "fail" -> false;
            case "over-floor" -> true;
            default -> throw new IllegalArgumentException("when-inconclusive must be fail or over-floor: '" + text + "'");
        };
    }

    /**
     * One run in turns: floor, node, floor, node..., each turn {@code duration / turns} long; each
     * server's first turn has the plan's warm-up, every later one {@link #LEAD_IN}. A line per pair of
     * turns, then each server's turns summed up as one run.
     */
    private Measured oneRunInTurns(LoadPlan plan, FloorServer.Kind floorKind, PrintWriter out) throws IOException {
        final Duration turn = plan.duration().dividedBy(turns);
        final PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        final List<LoadSummary> floorTurns = new ArrayList<>();
        final List<LoadSummary> nodeTurns = new ArrayList<>();
        try (FloorServer server = floors.start(floorKind, plan.count())) {
            out.printf(Locale.ROOT, "the floor: %s on 127.0.0.1:%d, and the node, in %d turns each of %s, alternating "
                    + "(%s of warm-up before each one's first, %s before every other)%n", server.description(),
                    server.port(), turns, Durations.format(turn), Durations.format(plan.warmup()), Durations.format(LEAD_IN));
            out.printf(Locale.ROOT, "%,d requests at %,d/s to each, to http://127.0.0.1:%d and %s on %d connection%s%n",
                    plan.requests(), plan.rate(), server.port(), plan.describeTarget(), plan.connections(),
                    plan.connections() == 1 ? "" : "s");
            out.flush();
            for (int i = 0; i < turns; i++) {
                final LoadPlan turnPlan = new LoadPlan(plan.url(), plan.rate(), turn, plan.count(), plan.connections(),
                        i == 0 ? plan.warmup() : LEAD_IN);
                final LoadSummary floor = LoadRun.run(turnPlan.at("127.0.0.1", server.port()), quiet);
                final LoadSummary node = LoadRun.run(turnPlan, quiet);
                floorTurns.add(floor);
                nodeTurns.add(node);
                out.printf(Locale.ROOT, "turn %2d of %d: the floor p99 %s ms, %d failed; the node p99 %s ms, %d failed%n",
                        i + 1, turns, LoadSummary.millis(floor.p99Micros()), floor.failed(),
                        LoadSummary.millis(node.p99Micros()), node.failed());
                out.flush();
            }
            final Floor floor = new Floor(server.description(), LoadSummary.combine(plan, floorTurns));
            final LoadSummary node = LoadSummary.combine(plan, nodeTurns);
            out.println("the floor, its turns together:");
            floor.summary().print(out);
            out.println("the node, its turns together:");
            node.print(out);
            out.println(floor.summary().overheadLine(node));
            final List<Long> overByTurn = new ArrayList<>();
            for (int i = 0; i < turns; i++) {
                overByTurn.add(nodeTurns.get(i).p99Micros() - floorTurns.get(i).p99Micros());
            }
            return new Measured(node, floor, null, overByTurn);
        }
    }

    /** The failing verdict after {@code --gate-attempts} runs in which the floor took half the gate or more. */
    private Gate.Verdict inconclusive(Gate gate, String line) {
        return new Gate.Verdict(false, line + ": inconclusive, as the floor took half the gate or more, in "
                + (gateAttempts == 1 ? "the only run" : "each of " + gateAttempts + " runs")
                + ": this machine could not measure " + LoadSummary.millis(Math.round(gate.p99Millis() * 1000))
                + " ms while it ran");
    }

    /** The floor: the same plan, warm-up included, against a trivial server started for it and stopped after. */
    private Floor measureFloor(FloorServer.Kind kind, LoadPlan plan, PrintWriter out) throws IOException {
        try (FloorServer server = floors.start(kind, plan.count())) {
            out.println("the floor: " + server.description() + " on 127.0.0.1:" + server.port()
                    + ", the same rate, connections, warm-up and duration");
            out.flush();
            final LoadSummary summary = LoadRun.run(plan.at("127.0.0.1", server.port()), out);
            summary.print(out);
            return new Floor(server.description(), summary);
        }
    }

    /**
     * Whether the floor leaves room to judge the node: its p99 under half the gate, and nothing failed.
     * A floor that takes half the budget or more is a machine too busy to tell a slow node from its own
     * noise (load/README.md, "When the machine cannot measure the gate").
     */
    static boolean leavesRoom(Gate gate, LoadSummary floor) {
        return floor.failed() == 0 && floor.p99Micros() < gate.p99Millis() * 1000 / 2;
    }

    /** What the floor measured, and on which server. */
    private record Floor(String server, LoadSummary summary) {
    }
}
