package io.flakeproof.simulation;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flakeproof.cli.Bounds;
import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.SystemClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flakeproof simulate}: runs seeds of the deterministic simulation and checks every ID.
 *
 * <p>Exit codes: 0 no violation; 1 a violation (printed with its seed, the command that replays it,
 * and a shrunk schedule as a timeline); 2 bad arguments; 3 a weak campaign (a dangerous path of the
 * fenced protocol was never reached, so its zero violations prove nothing about it).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the deterministic fault-injection simulation over many seeds and check every ID.")
public final class SimulateCommand implements Callable<Integer> {

    /** Exit code of a campaign that missed a dangerous path. */
    static final int WEAK = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--protocol", defaultValue = "fenced", description = "One of: " + Protocol.NAMES + ". Default ${DEFAULT-VALUE}.")
    private String protocol;

    @Option(names = "--policy", defaultValue = "absorb:5ms:1s", description = "Drift policy: fail, wait:MAXWAIT, absorb:TOLERANCE:MAXWAIT. Default ${DEFAULT-VALUE}.")
    private String policy;

    @Option(names = "--scenario", defaultValue = "mixed", description = "clock, pause, partition, crash, zookeeper, identity, mixed or rollback (a demonstration: fenced collides). Default ${DEFAULT-VALUE}.")
    private String scenario;

    @Option(names = "--seeds", defaultValue = "100", description = "How many seeds; default ${DEFAULT-VALUE}.")
    private long seeds;

    @Option(names = "--from", defaultValue = "1", description = "The first seed; default ${DEFAULT-VALUE}.")
    private long from;

    @Option(names = "--threads", description = "Threads (each seed runs on one); default: the CPU count.")
    private Integer threads;

    @Option(names = "--json", description = "Write the campaign's results to this file.")
    private Path json;

    @Option(names = "--keep-faults", description = "Replay one seed with only these faults of its schedule: indices "
            + "separated by commas, as a shrunk counterexample prints them, or none.")
    private String keepFaults;

    @Option(names = "--nodes", description = "Override the swarm: nodes, in [1, 16].")
    private Integer nodes;

    @Option(names = "--worker-bits", description = "Override the swarm: worker bits, in [0, 8].")
    private Integer workerBits;

    @Option(names = "--duration", description = "Override the swarm: simulated seconds per seed, in [5, 3600].")
    private Long durationSeconds;

    @Option(names = "--window", description = "Override the swarm: lease window in ms, in [30, 600000].")
    private Long windowMillis;

    @Option(names = "--session", description = "Override the swarm: session timeout in ms, in [100, 600000].")
    private Long sessionMillis;

    @Option(names = "--faults", description = "Override the swarm: faults per seed, in [0, 200].")
    private Integer faults;

    @Option(names = "--rate", description = "Override the swarm: requests per second per node, in [1, 100000].")
    private Double rate;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with these arguments, printing to {@code out} and {@code err}; returns its exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return CommandLines.run(new SimulateCommand(), "flakeproof simulate", out, err, args);
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private <T extends Comparable<T>> T inRange(String option, T value, T low, T high) {
        return CommandLines.check(spec, () -> Bounds.requireIn(option, value, low, high, String::valueOf));
    }

    @Override
    public Integer call() throws Exception {
        final DriftPolicy drift;
        final Scenario sc;
        try {
            drift = DriftPolicy.parse(policy);
            sc = Scenario.parse(scenario);
            Protocol.named(protocol);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        inRange("--seeds", seeds, 1L, 100_000_000L);
        inRange("--from", from, 0L, Long.MAX_VALUE / 2);
        final int threadCount = inRange("--threads", threads == null ? Runtime.getRuntime().availableProcessors() : threads, 1, 256);
        final Params.Overrides overrides = new Params.Overrides(inRange("--nodes", nodes, 1, 16),
                inRange("--worker-bits", workerBits, 0, 8), inRange("--duration", durationSeconds, 5L, 3600L),
                inRange("--window", windowMillis, 30L, 600_000L), inRange("--session", sessionMillis, 100L, 600_000L),
                inRange("--faults", faults, 0, 200), inRange("--rate", rate, 1.0, 100_000.0));
        final Campaign.Spec campaign = new Campaign.Spec(protocol, drift, sc, from, seeds, threadCount, overrides);
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (keepFaults != null) {
            return replay(campaign, out);
        }
        out.printf(Locale.ROOT, "flakeproof simulate: protocol %s, policy %s, scenario %s, seeds %d..%d on %d threads%n",
                protocol, drift, sc.label(), from, from + seeds - 1, threadCount);
        if (seeds <= 3) {
            for (long s = from; s < from + seeds; s++) {
                out.println(Params.draw(s, protocol, drift, sc, overrides).describe());
            }
        }
        out.flush();
        final long started = SystemClock.INSTANCE.monotonicNanos();
        final Campaign.Totals totals = Campaign.run(campaign, (done, ids, violations) -> {
            if (done % Math.max(1, seeds / 50) == 0 || done == seeds) {
                final double elapsed = (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9;
                final double left = elapsed / done * (seeds - done);
                synchronized (err) {
                    err.printf(Locale.ROOT, "\r  %d/%d seeds, %.1f M IDs checked, %d violations, ~%.0f s left   ",
                            done, seeds, ids / 1e6, violations, left);
                    err.flush();
                }
            }
        });
        final double seconds = (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9;
        err.println();
        for (Campaign.Violation v : totals.violations) {
            printViolation(v, out);
        }
        final List<String> missed = new ArrayList<>();
        if (Protocol.named(protocol).fenced() && !protocol.equals("fenced-no-cluster-check")) {
            for (String path : Coverage.required(sc, drift.kind() == DriftPolicy.Kind.ABSORB)) {
                if (totals.coverage.count(path) == 0) {
                    missed.add(path);
                }
            }
        }
        if (json != null) {
            writeJson(campaign, totals, missed, seconds);
        }
        out.printf(Locale.ROOT, "%s: %d seeds, %d IDs checked (%.0f per seed), %d violating seeds, availability %.4f, "
                        + "ID time lead %s / lag %s, longest stall %s, %.1f s (%.2f M IDs/s)%n",
                totals.violatingSeeds > 0 ? "VIOLATIONS" : missed.isEmpty() ? "ok" : "WEAK CAMPAIGN",
                totals.seeds, totals.idsChecked, (double) totals.idsChecked / totals.seeds, totals.violatingSeeds,
                totals.availability(), Timeline.millis(totals.maxLeadNanos), Timeline.millis(totals.maxLagNanos),
                Timeline.millis(totals.longestStallNanos), seconds, totals.idsChecked / seconds / 1e6);
        if (totals.unfinished > 0) {
            out.println("unfinished seeds (event budget): " + totals.unfinishedSeeds);
        }
        if (totals.violatingSeeds > 0) {
            return 1;
        }
        if (!missed.isEmpty()) {
            out.println("weak campaign: never reached " + String.join("; ", missed));
            return WEAK;
        }
        return 0;
    }

    private int replay(Campaign.Spec campaign, PrintWriter out) {
        if (seeds != 1) {
            throw bad("--keep-faults replays one seed: give --seeds 1");
        }
        final Params p = Params.draw(from, protocol, campaign.policy(), campaign.scenario(), campaign.overrides());
        final List<Fault> drawn = campaign.scenario().draw(p);
        final List<Integer> kept = new ArrayList<>();
        if (!keepFaults.equals("none")) {
            for (String part : keepFaults.split(",", -1)) {
                final int i;
                try {
                    i = Integer.parseInt(part.strip());
                } catch (NumberFormatException e) {
                    throw bad("--keep-faults must be fault indices separated by commas, or none: '" + keepFaults + "'");
                }
                if (i < 0 || i >= drawn.size()) {
                    throw bad("--keep-faults must name faults in [0, " + (drawn.size() - 1) + "]: " + i);
                }
                kept.add(i);
            }
        }
        out.println(p.describe());
        final RunResult r = Shrinker.replay(p, drawn, kept);
        r.timeline().forEach(e -> out.println("  " + e));
        out.println(r.violated() ? "VIOLATION: " + r.explanation() : "no violation");
        return r.violated() ? 1 : 0;
    }

    private String command(long seed) {
        final StringBuilder b = new StringBuilder("./flakeproof simulate --protocol " + protocol + " --policy " + policy
                + " --scenario " + scenario + " --from " + seed + " --seeds 1");
        if (nodes != null) {
            b.append(" --nodes ").append(nodes);
        }
        if (workerBits != null) {
            b.append(" --worker-bits ").append(workerBits);
        }
        if (durationSeconds != null) {
            b.append(" --duration ").append(durationSeconds);
        }
        if (windowMillis != null) {
            b.append(" --window ").append(windowMillis);
        }
        if (sessionMillis != null) {
            b.append(" --session ").append(sessionMillis);
        }
        if (faults != null) {
            b.append(" --faults ").append(faults);
        }
        if (rate != null) {
            b.append(" --rate ").append(rate);
        }
        return b.toString();
    }

    private String keepOption(List<Integer> kept) {
        return " --keep-faults " + (kept.isEmpty() ? "none" : String.join(",", kept.stream().map(String::valueOf).toList()));
    }

    private void printViolation(Campaign.Violation v, PrintWriter out) {
        final RunResult r = v.original();
        out.println();
        out.println("VIOLATION at seed " + r.params().seed() + ": " + r.explanation());
        out.println("  " + r.params().describe());
        out.println("  replay:  " + command(r.params().seed()));
        out.println("  shrunk to " + v.shrunk().kept().size() + " of " + r.faults().size() + " faults in "
                + v.shrunk().runs() + " runs; replay it: " + command(r.params().seed()) + keepOption(v.shrunk().kept()));
        out.println("  why:     " + v.shrunk().replay().explanation());
        out.println("  timeline of the shrunk run:");
        v.shrunk().replay().timeline().forEach(e -> out.println("    " + e));
    }

    private void writeJson(Campaign.Spec c, Campaign.Totals t, List<String> missed, double seconds) throws IOException {
        try (JsonGenerator g = JsonFiles.open(json)) {
            g.writeStartObject();
            g.writeStringField("protocol", c.protocol());
            g.writeStringField("policy", c.policy().toString());
            g.writeStringField("scenario", c.scenario().label());
            g.writeNumberField("from", c.from());
            g.writeNumberField("seeds", t.seeds);
            g.writeBooleanField("valid?", t.violatingSeeds == 0);
            g.writeBooleanField("weak", !missed.isEmpty());
            g.writeNumberField("ids_checked", t.idsChecked);
            g.writeNumberField("attempted", t.requests);
            g.writeNumberField("acknowledged", t.served);
            g.writeNumberField("availability", t.availability());
            g.writeNumberField("violating_seeds", t.violatingSeeds);
            g.writeNumberField("max_id_lead_ms", t.maxLeadNanos / 1e6);
            g.writeNumberField("max_id_lag_ms", t.maxLagNanos / 1e6);
            g.writeNumberField("longest_stall_ms", t.longestStallNanos / 1e6);
            g.writeNumberField("seconds", seconds);
            g.writeNumberField("unfinished_seeds", t.unfinished);
            writeMap(g, "faults_by_kind", t.faultsByKind);
            writeMap(g, "refusals", t.refusals);
            writeMap(g, "coverage", t.coverage.counts());
            g.writeArrayFieldStart("missed_coverage");
            for (String m : missed) {
                g.writeString(m);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("violations");
            for (Campaign.Violation v : t.violations) {
                final RunResult r = v.original();
                g.writeStartObject();
                g.writeNumberField("seed", r.params().seed());
                g.writeStringField("params", r.params().describe());
                g.writeStringField("explanation", v.shrunk().replay().explanation());
                g.writeNumberField("duplicated", r.ids().duplicated());
                g.writeArrayFieldStart("duplicated_ids");
                for (long id : r.ids().duplicatedIds()) {
                    g.writeNumber(id);
                }
                g.writeEndArray();
                g.writeStringField("replay", command(r.params().seed()));
                g.writeStringField("replay_shrunk", command(r.params().seed()) + keepOption(v.shrunk().kept()));
                g.writeArrayFieldStart("shrunk_faults");
                for (int i : v.shrunk().kept()) {
                    final Fault f = r.faults().get(i);
                    g.writeStartObject();
                    g.writeNumberField("index", i);
                    g.writeNumberField("at_ms", f.at() / 1e6);
                    g.writeStringField("kind", f.kind().name().toLowerCase(Locale.ROOT));
                    g.writeNumberField("node", f.node());
                    g.writeNumberField("amount", f.amount());
                    g.writeNumberField("duration_ms", f.duration() / 1e6);
                    g.writeStringField("what", f.describe());
                    g.writeEndObject();
                }
                g.writeEndArray();
                Timeline.writeJson(g, "timeline", v.shrunk().replay().timeline());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void writeMap(JsonGenerator g, String name, Map<String, Long> map) throws IOException {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, Long> e : map.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }
}
