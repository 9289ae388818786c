package io.flakeproof.simulation;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flakeproof.cli.Bounds;
import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.SystemClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flakeproof explore}: the bounded exhaustive search of a small world ({@link Explorer}).
 *
 * <p>Exit codes: 0 no violation within the bounds; 1 a violation (printed as the shortest event sequence
 * that reaches it, as a timeline); 2 bad arguments.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        description = "Search every order of events of a small world, up to a depth, for two equal IDs.")
public final class ExploreCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--protocol", defaultValue = "fenced", description = "One of: " + SmallProcess.NAMES
            + ". Default ${DEFAULT-VALUE}.")
    private String protocol;

    @Option(names = "--holders", defaultValue = "2", description = "Processes, in [2, 3]. Default ${DEFAULT-VALUE}.")
    private int holders;

    @Option(names = "--workers", defaultValue = "1", description = "Worker IDs, in [1, 2]. Default ${DEFAULT-VALUE}.")
    private int workers;

    @Option(names = "--depth", defaultValue = "25", description = "Events per path, in [1, 60]. Default ${DEFAULT-VALUE}.")
    private int depth;

    @Option(names = "--faults", defaultValue = "1", description = "Faults per path (drops, lost answers, suspensions, "
            + "expiries, crashes), in [0, 10]. Default ${DEFAULT-VALUE}.")
    private int faults;

    @Option(names = "--clock-steps", defaultValue = "0", description = "Clock steps per path, in [0, 10]. "
            + "Default ${DEFAULT-VALUE}.")
    private int clockSteps;

    @Option(names = "--ticks", defaultValue = "1", description = "Ticks of time passing per path, in [0, 30]. "
            + "Default ${DEFAULT-VALUE}.")
    private int ticks;

    @Option(names = "--threads", description = "Threads that expand the states of a level, in [1, 64]. Default: one per "
            + "processor. The result is the same for any number.")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--no-reduction", description = "Search without the reduction (the events that need no choice "
            + "applied at once), to compare the counts; the verdict is the same.")
    private boolean noReduction;

    @Option(names = "--json", description = "Write the results to this file.")
    private Path json;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return CommandLines.run(new ExploreCommand(), "flakeproof explore", out, err, args);
    }

    @Override
    public Integer call() throws IOException {
        if (!SmallProcess.PROTOCOLS.contains(protocol)) {
            throw new ParameterException(spec.commandLine(),
                    "protocol must be one of " + SmallProcess.NAMES + ": '" + protocol + "'" + fits(protocol));
        }
        CommandLines.check(spec, () -> Bounds.requireIn("--holders", holders, 2, 3));
        CommandLines.check(spec, () -> Bounds.requireIn("--workers", workers, 1, 2));
        CommandLines.check(spec, () -> Bounds.requireIn("--depth", depth, 1, 60));
        CommandLines.check(spec, () -> Bounds.requireIn("--faults", faults, 0, 10));
        CommandLines.check(spec, () -> Bounds.requireIn("--clock-steps", clockSteps, 0, 10));
        CommandLines.check(spec, () -> Bounds.requireIn("--ticks", ticks, 0, 30));
        CommandLines.check(spec, () -> Bounds.requireIn("--threads", threads, 1, 64));
        final SmallWorld.Bounds bounds = new SmallWorld.Bounds(protocol, holders, workers, faults, clockSteps, ticks,
                !noReduction);
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        out.printf(Locale.ROOT, "flakeproof explore: protocol %s, %d holders, %d worker%s, depth %d, faults %d, "
                + "clock steps %d, ticks %d, reduction %s%n", protocol, holders, workers, workers == 1 ? "" : "s", depth,
                faults, clockSteps, ticks, noReduction ? "off" : "on");
        out.flush();
        if (!ExploreCommand.class.desiredAssertionStatus()) {
            err.println("note: assertions are off, so the lease core's own checks do not run (java -ea turns them on)");
        }
        final long started = SystemClock.INSTANCE.monotonicNanos();
        final Explorer.Result r = Explorer.explore(bounds, depth, threads, (level, fresh, distinct, transitions) -> {
            err.printf(Locale.ROOT, "  depth %d: %d new states, %d distinct, %d explored, %.1f s%n", level, fresh,
                    distinct, transitions, (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9);
            err.flush();
        });
        final double seconds = (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9;
        if (r.violated()) {
            out.println();
            final int added = r.events() - r.path().length;
            out.println("VIOLATION after " + r.events() + " events" + (added == 0 ? "" : " (" + r.path().length
                    + " chosen by the search, " + added + " added by the reduction)") + ": " + r.violation());
            out.println("  timeline (the fewest events the search chooses that reach it):");
            r.timeline().forEach(e -> out.println("    " + e));
        }
        out.printf(Locale.ROOT, "%s: %d states explored, %d distinct, depth reached %d of %d%s, %.1f s%n",
                r.violated() ? "VIOLATION" : "ok", r.transitions(), r.distinct(), r.depthReached(), depth,
                r.exhausted() ? " (every state reached: no new state at the next depth)" : "", seconds);
        if (json != null) {
            writeJson(r, seconds);
        }
        return r.violated() ? 1 : 0;
    }

    /** Why a protocol of the simulator is not one of the explorer's. */
    private static String fits(String name) {
        return switch (name) {
            case "seed-quarantine" -> " (seed-quarantine collides only when its holder pauses between checking its"
                    + " expiry and minting, which is no event of the explorer; the simulator catches it)";
            case "fenced-no-cluster-check" -> " (fenced-no-cluster-check collides only after the registry is wiped,"
                    + " which is no event of the explorer; the simulator catches it)";
            default -> "";
        };
    }

    private void writeJson(Explorer.Result r, double seconds) throws IOException {
        try (JsonGenerator g = JsonFiles.open(json)) {
            g.writeStartObject();
            g.writeStringField("protocol", protocol);
            g.writeNumberField("holders", holders);
            g.writeNumberField("workers", workers);
            g.writeNumberField("depth", depth);
            g.writeNumberField("faults", faults);
            g.writeNumberField("clock_steps", clockSteps);
            g.writeNumberField("ticks", ticks);
            g.writeBooleanField("reduction", !noReduction);
            g.writeBooleanField("valid?", !r.violated());
            g.writeNumberField("states_explored", r.transitions());
            g.writeNumberField("distinct_states", r.distinct());
            g.writeNumberField("depth_reached", r.depthReached());
            g.writeBooleanField("exhausted", r.exhausted());
            g.writeNumberField("seconds", seconds);
            if (r.violated()) {
                g.writeStringField("violation", r.violation());
                g.writeNumberField("events", r.events());
                Timeline.writeJson(g, "timeline", r.timeline());
            }
            g.writeEndObject();
        }
    }
}
