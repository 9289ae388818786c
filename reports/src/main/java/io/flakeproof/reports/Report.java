package io.flakeproof.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.flakeproof.generator.BitLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the report from a results directory, in the order of a Jepsen analysis: the verdict first,
 * then what is claimed and under which assumptions, the negative controls, the trade-offs, the
 * performance, the seed's comparison and the environment. Every figure comes from the results; a
 * part whose results are missing says "not run".
 */
final class Report {

    static final String TITLE = "flakeproof: the collision-proof report";

    private final Results r;
    private final Verdict verdict;
    private final Doc doc = new Doc();

    private Report(Results r) {
        this.r = r;
        this.verdict = Verdict.of(r);
    }

    static Doc build(Results r) {
        return new Report(r).render();
    }

    private Doc render() {
        doc.heading(1, TITLE);
        final JsonNode env = r.environment;
        doc.para((r.quick() ? "A **quick** run (`./flakeproof report --quick`: small bounds, for CI)" : "A **full** run (`./flakeproof report`)")
                + (env == null ? "." : " of commit `" + env.path("commit").asText() + "`"
                + (env.path("uncommitted_changes").asBoolean() ? " (with uncommitted changes)" : "") + ", started "
                + env.path("date").asText() + ", on " + env.path("cpus").asInt() + " CPUs."));
        verdict();
        claims();
        controls();
        tradeOffs();
        performance();
        comparison();
        environment();
        return doc;
    }

    // ---- verdict ----

    private void verdict() {
        doc.heading(2, "Verdict");
        doc.para(verdict.green() ? "**GREEN**: no check failed and no campaign was weak."
                : "**RED**: " + verdict.failures().size() + " finding(s) below.");
        final List<Results.Campaign> fenced = r.fenced();
        long ids = 0;
        long seeds = 0;
        long violating = 0;
        long weak = 0;
        final TreeMap<String, Long> faults = new TreeMap<>();
        final TreeMap<String, Long> coverage = new TreeMap<>();
        for (Results.Campaign c : fenced) {
            ids += c.json().path("ids_checked").asLong();
            seeds += c.seeds();
            violating += c.json().path("violating_seeds").asLong();
            weak += c.weak() ? 1 : 0;
            c.json().path("faults_by_kind").fields().forEachRemaining(e -> faults.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            c.json().path("coverage").fields().forEachRemaining(e -> coverage.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        final long caught = r.controls().stream().filter(c -> !c.valid()).count();
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("fenced protocol: campaigns / seeds", fenced.size() + " / " + n(seeds)));
        rows.add(List.of("IDs checked (every one)", n(ids)));
        rows.add(List.of("violating seeds of the fenced protocol", "**" + n(violating) + "**"));
        rows.add(List.of("weak campaigns (a dangerous path never reached)", n(weak)));
        rows.add(List.of("faults injected", n(faults.values().stream().mapToLong(Long::longValue).sum()) + " in "
                + faults.size() + " kinds"));
        rows.add(List.of("negative controls that collided", caught + " of " + r.controls().size()));
        rows.add(List.of("explorer", r.explorer == null ? "not run" : explorerLine(r.explorer)));
        rows.add(List.of("jcstress", r.jcstress == null ? "not run" : r.jcstress.path("passed").asLong() + " of "
                + r.jcstress.path("planned").asLong() + " results passed, " + r.jcstress.path("failed").asLong() + " failed ("
                + r.jcstress.path("tests").size() + " tests, mode " + r.jcstress.path("mode").asText()
                + (r.jcstress.path("unschedulable_actor_counts").isEmpty() ? "" : "; tests of "
                + r.jcstress.path("unschedulable_actor_counts").toString().replaceAll("[\\[\\]]", "")
                + " actors cannot be scheduled on this machine's CPUs and did not run") + ")"));
        doc.table(List.of("", "this run"), rows);
        if (!verdict.failures().isEmpty()) {
            doc.para("Findings that make it red:");
            doc.bullets(verdict.failures());
        }
        if (!verdict.warnings().isEmpty()) {
            doc.para("Warnings (not part of the collision proof):");
            doc.bullets(verdict.warnings());
        }
        if (!coverage.isEmpty()) {
            final List<List<String>> cov = new ArrayList<>();
            coverage.forEach((k, v) -> cov.add(List.of(k, n(v))));
            doc.para("Dangerous paths of the fenced protocol reached, over all its campaigns (each campaign must reach every "
                    + "path its faults lead to, or it is weak):");
            doc.table(List.of("path", "times reached"), cov);
        }
        if (!faults.isEmpty()) {
            doc.chart("faults-by-kind", "Faults injected into the fenced protocol's campaigns, by kind (log scale).",
                    Charts.bars("Faults injected, by kind", "faults", new ArrayList<>(faults.keySet()),
                            List.of(new Charts.Bars("faults", faults.values().stream().map(Long::doubleValue).toList())), true));
        }
        final List<List<String>> camp = new ArrayList<>();
        for (Results.Campaign c : fenced) {
            camp.add(List.of(c.scenario(), c.policy(), n(c.seeds()), n(c.json().path("ids_checked").asLong()),
                    n(c.json().path("violating_seeds").asLong()), c.weak() ? "**weak**" : "no",
                    f3(c.json().path("availability").asDouble()), f1(c.json().path("max_id_lead_ms").asDouble()) + " ms",
                    f1(c.json().path("seconds").asDouble()) + " s"));
        }
        doc.para("The fenced protocol's campaigns:");
        doc.table(List.of("scenario", "policy", "seeds", "IDs checked", "violating seeds", "weak", "availability",
                "largest ID-time lead", "time"), camp);
        doc.para("Reproduce one: the campaign's command, for example:");
        doc.code(fenced.isEmpty() ? "./flakeproof simulate --seeds 300" : fenced.get(fenced.size() - 1).command());
    }

    private static String explorerLine(JsonNode e) {
        final List<String> parts = new ArrayList<>();
        for (String f : List.of("states", "states_explored", "distinct_states", "schedules", "depth", "bound")) {
            if (e.has(f)) {
                parts.add(f.replace('_', ' ') + " " + e.get(f).asText());
            }
        }
        parts.add(Verdict.explorerViolations(e) + " violations");
        return String.join(", ", parts);
    }

    // ---- claims ----

    private void claims() {
        doc.heading(2, "Claims and assumptions");
        doc.para("**The invariant.** For each worker, successive holders mint in disjoint tick intervals "
                + "`(floor_i, ceiling_i]` with `floor_{i+1} >= ceiling_i`: a holder mints only up to a ceiling that it wrote "
                + "and ZooKeeper acknowledged; ceilings never fall while a holder may still mint; and the next holder takes the "
                + "record with a versioned write that orders it after every acknowledged write of the old one and makes every "
                + "later one fail. Within one holder the state is monotonic. Different workers or datacenters differ in the node "
                + "bits. Hence no two IDs are equal.");
        doc.para("How each part is checked: the simulator runs the real generator and the real lease holder and checks every "
                + "ID minted (all distinct), each holder's IDs strictly increasing, each term's ticks above its floor and at or "
                + "below an acknowledged ceiling, and each worker's terms in disjoint intervals; jcstress checks the generator's "
                + "concurrency contract under the Java memory model; the explorer (where it ran) enumerates the lease protocol's "
                + "interleavings up to its bounds.");
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ZooKeeper's writes are linearizable and durable", "assumed: the simulated ZooKeeper is linearizable "
                + "by construction; a **wipe** (the ensemble reset) is injected in the `zookeeper` scenario and must be refused "
                + "(the `fenced-no-cluster-check` control shows what happens without the check); a rollback to an old snapshot "
                + "of the same ensemble is not detected and not tested"));
        rows.add(List.of("one generator per worker per process", "jcstress (several threads on one generator); twin processes "
                + "started from one configuration (`twin_start` faults, `identity` scenario)"));
        rows.add(List.of("every node uses the cluster's layout", "not simulated (one layout per run); "
                + "`CuratorLeaseTest.aNodeWithAnotherLayoutRefusesToStartShowingBoth` against a real ZooKeeper"));
        rows.add(List.of("clock skew, jumps, slew and pauses cost availability, never uniqueness", "the faults below, and the "
                + "drift-policy trade-off (availability and stalls, measured)"));
        doc.table(List.of("assumption", "what covers it"), rows);
        final TreeMap<String, TreeSet<String>> byKind = new TreeMap<>();
        final TreeMap<String, Long> counts = new TreeMap<>();
        for (Results.Campaign c : r.fenced()) {
            c.json().path("faults_by_kind").fields().forEachRemaining(e -> {
                byKind.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(c.scenario());
                counts.merge(e.getKey(), e.getValue().asLong(), Long::sum);
            });
        }
        final List<List<String>> kinds = new ArrayList<>();
        byKind.forEach((k, v) -> kinds.add(List.of("`" + k + "`", n(counts.get(k)), String.join(", ", v))));
        doc.para("Fault kinds injected into the fenced protocol in this run, and the scenarios that injected them:");
        doc.table(List.of("fault kind", "injected", "scenarios (fenced campaigns)"), kinds);
        doc.heading(3, "The explorer");
        if (r.explorer == null) {
            doc.para("**Not run**: " + stageMessage("explorer", "no explorer results in this run") + ". The lease protocol's "
                    + "interleavings were not enumerated exhaustively; the simulation campaigns above sample them.");
        } else {
            final List<List<String>> ex = new ArrayList<>();
            r.explorer.fields().forEachRemaining(e -> {
                if (e.getValue().isValueNode()) {
                    ex.add(List.of(e.getKey().replace('_', ' '), e.getValue().asText()));
                }
            });
            doc.para("The exhaustive explorer of the lease protocol: " + explorerLine(r.explorer) + ". Its results, as it wrote them:");
            doc.table(List.of("", "this run"), ex);
            doc.code("./flakeproof explore --json explorer.json");
        }
        doc.heading(3, "What was not tested");
        final List<String> not = new ArrayList<>(List.of(
                "A rollback of the ZooKeeper ensemble to an old snapshot (a node cannot tell it from its own ensemble).",
                "Partitions between ZooKeeper servers other than a follower cut off from the leader, and quorum loss.",
                "More than one datacenter in one simulated fleet.",
                "A Curator client whose queued requests run on a replacement session (covered by the lease's store-level "
                        + "tests, not by the simulator).",
                "Layout disagreement inside the simulator (each run has one layout)."));
        if (r.explorer == null) {
            not.add("The exhaustive explorer: **not run** (no explorer results in this run).");
        }
        if (r.stages != null) {
            for (JsonNode s : r.stages) {
                if (!s.path("status").asText().equals("ok")) {
                    not.add("Stage " + s.path("name").asText() + ": **" + s.path("status").asText() + "** ("
                            + s.path("message").asText() + ").");
                }
            }
        }
        doc.bullets(not);
    }

    // ---- negative controls ----

    private void controls() {
        doc.heading(2, "Negative controls");
        doc.para("Naive protocols run in the same simulator, each in a scenario whose faults reach its flaw. Each must collide: "
                + "if one did not, the checkers would be proving nothing. Each counterexample is shrunk (faults removed while "
                + "it still fails) and drawn from its replay's timeline: clock offsets on the left axis, who held which worker "
                + "on the right (one lane per node), fault windows shaded, the mints of the duplicated ID marked.");
        if (r.controls().isEmpty()) {
            doc.para("**Not run.**");
            return;
        }
        for (Results.Campaign c : r.controls()) {
            doc.heading(3, c.protocol() + " (" + c.scenario() + ")");
            final long v = c.json().path("violating_seeds").asLong();
            doc.para(n(v) + " of " + n(c.seeds()) + " seeds collided or violated a checker; "
                    + n(c.json().path("ids_checked").asLong()) + " IDs checked.");
            final JsonNode violations = c.json().path("violations");
            if (!violations.isArray() || violations.isEmpty()) {
                doc.para("**Found nothing**: this control did not collide in its campaign.");
                doc.code(c.command());
                continue;
            }
            final JsonNode first = violations.get(0);
            doc.para("Seed " + first.path("seed").asLong() + ", shrunk to " + first.path("shrunk_faults").size() + " fault(s): "
                    + first.path("explanation").asText() + ".");
            final List<String> faults = new ArrayList<>();
            first.path("shrunk_faults").forEach(f -> faults.add(String.format(Locale.ROOT, "at %.3f s: %s", f.path("at_ms").asDouble() / 1000,
                    f.path("what").asText())));
            if (!faults.isEmpty()) {
                doc.bullets(faults);
            }
            final Counterexample ce = Counterexample.of(first);
            doc.chart("control-" + c.protocol() + "-" + c.scenario(), "Counterexample of " + c.protocol() + ", seed "
                    + first.path("seed").asLong() + " (shrunk): clock offsets, holders, faults and "
                    + (ce.duplicatedId() == null ? "the overlapping terms (the checker's violation is an overlap of tick "
                    + "intervals, not one ID seen twice)" : "the mints of ID " + ce.duplicatedId()) + ".",
                    Charts.counterexample(c.protocol() + ", seed " + first.path("seed").asLong() + ", shrunk", ce));
            doc.para("Replay the shrunk schedule, then the whole seed:");
            doc.code(first.path("replay_shrunk").asText() + "\n" + first.path("replay").asText());
        }
    }

    // ---- trade-offs ----

    private void tradeOffs() {
        doc.heading(2, "Trade-offs for engineers");
        doc.heading(3, "Drift policies: availability and stalls against ID-time lead");
        if (r.drift == null) {
            doc.para("**Not run.**");
        } else {
            doc.para("Measured on the real generator in virtual time: " + r.drift.path("method").asText() + ".");
            final Map<String, List<double[]>> byPolicy = new LinkedHashMap<>();
            final List<List<String>> rows = new ArrayList<>();
            for (JsonNode row : r.drift.path("rows")) {
                final String p = row.path("policy").asText();
                byPolicy.computeIfAbsent(p, k -> new ArrayList<>()).add(new double[] {row.path("step_ms").asDouble(),
                        row.path("availability").asDouble(), Math.max(row.path("longest_wait_ms").asDouble(),
                        row.path("longest_refusal_ms").asDouble()), row.path("max_lead_over_clock_ms").asDouble()});
                rows.add(List.of(p, row.path("step_ms").asText() + " ms", f4(row.path("availability").asDouble()),
                        f1(row.path("longest_wait_ms").asDouble()) + " ms", f1(row.path("longest_refusal_ms").asDouble()) + " ms",
                        row.path("max_lead_over_clock_ms").asText() + " ms", row.path("max_lead_over_true_time_ms").asText() + " ms"));
            }
            doc.table(List.of("policy", "backward step", "requests answered", "longest wait", "longest refusal",
                    "ID time ahead of the node's clock", "ID time ahead of true time"), rows);
            doc.chart("drift-availability", "Share of requests answered after one backward step of the clock, per policy.",
                    Charts.lines("Availability against backward-step size", "backward step (ms, log)", "requests answered",
                            series(byPolicy, 1), true, false, null, null));
            doc.chart("drift-stall", "The longest a caller waited or was refused, per policy.",
                    Charts.lines("Longest stall against backward-step size", "backward step (ms, log)", "longest stall (ms)",
                            series(byPolicy, 2), true, false, null, null));
            doc.chart("drift-lead", "How far ahead of the node's own clock the IDs' time ran (ABSORB borrows up to its "
                    + "tolerance).", Charts.lines("ID-time lead over the node's clock", "backward step (ms, log)", "lead (ms)",
                    series(byPolicy, 3), true, false, null, null));
            doc.code("./flakeproof report --quick   # the drift study runs in-process, in every report run");
        }
        doc.heading(3, "Lease window: partition tolerance against worker reuse");
        if (r.windows.isEmpty()) {
            doc.para("**Not run.**");
        } else {
            doc.para("A node cut off from ZooKeeper keeps minting up to its last acknowledged ceiling, at most one window "
                    + "ahead: a longer window rides out longer partitions. A crashed node's worker is free once its session "
                    + "expires, and its next holder starts above the old ceiling, so it waits up to one window more: the "
                    + "protocol bounds the reuse delay by session + window (a bound, not measured here). Measured: the fenced "
                    + "protocol under the `partition` scenario, session 1 s, per window:");
            final List<List<String>> rows = new ArrayList<>();
            final List<double[]> avail = new ArrayList<>();
            for (Results.Campaign c : r.windows) {
                final String w = c.file().replace(".json", "");
                rows.add(List.of(w + " ms", n(c.seeds()), f4(c.json().path("availability").asDouble()),
                        f1(c.json().path("longest_stall_ms").asDouble()) + " ms", n(c.json().path("violating_seeds").asLong()),
                        c.weak() ? "weak" : "no", "<= " + n(1000 + Long.parseLong(w)) + " ms"));
                avail.add(new double[] {Double.parseDouble(w), c.json().path("availability").asDouble()});
            }
            doc.table(List.of("window", "seeds", "requests answered", "longest stall of a node", "violating seeds", "weak",
                    "reuse delay bound (session + window)"), rows);
            doc.chart("lease-window", "Share of requests answered under partitions, per lease window (session 1 s).",
                    Charts.lines("Availability under partitions against the lease window", "lease window (ms, log)",
                            "requests answered", List.of(new Charts.Series("fenced, partition", col(avail, 0), col(avail, 1))),
                            true, false, null, null));
            doc.code("./flakeproof simulate --protocol fenced --scenario partition --seeds " + r.windows.get(0).seeds()
                    + " --window 3000 --session 1000");
        }
        doc.heading(3, "Layouts");
        final List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, BitLayout> e : BitLayout.presets().entrySet()) {
            final BitLayout l = e.getValue();
            rows.add(List.of("`" + e.getKey() + "`", l.bits(), l.tickLength().toMillis() + " ms", f1(l.lifetimeYears()) + " years",
                    l.overflowInstant().toString().substring(0, 10), n(l.workerCapacity() * l.datacenterCapacity()),
                    n((long) l.idsPerSecondPerWorker())));
        }
        doc.para("Computed from the layouts' definitions (epoch 2025-01-01):");
        doc.table(List.of("layout", "bits T/D/W/S", "tick", "lifetime", "overflow date", "workers", "IDs/s per worker"), rows);
        doc.para("**End of life.** When the tick field is spent the generator refuses with a clear error (tick overflow), it "
                + "never wraps; `/health` turns `degraded` when less than a year is left. **Migration** to a new epoch or layout "
                + "is a cut-over: the new layout's nodes may start only once every ID they can mint sorts above every ID the old "
                + "fleet minted; `./flakeproof layouts --migrate-from OLD --layout NEW --cutover T` checks a plan and says when "
                + "(docs/ops/README.md).");
        doc.code("./flakeproof layouts\n./flakeproof layouts --migrate-from snowflake --layout snowflake-dc --cutover 2026-12-01T12:00:00Z");
    }

    // ---- performance ----

    private void performance() {
        doc.heading(2, "Performance");
        doc.heading(3, "Throughput against peers");
        if (r.jmhThroughput == null) {
            doc.para("**Not run.**");
        } else {
            final Map<String, Map<String, Double>> byImpl = new TreeMap<>();
            for (JsonNode b : r.jmhThroughput) {
                final String method = b.path("benchmark").asText().replaceAll(".*\\.", "");
                byImpl.computeIfAbsent(b.path("params").path("impl").asText(), k -> new TreeMap<>())
                        .put(method, b.path("primaryMetric").path("score").asDouble());
            }
            final List<String> methods = byImpl.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
            final List<List<String>> rows = new ArrayList<>();
            byImpl.forEach((impl, m) -> {
                final List<String> row = new ArrayList<>(List.of("`" + impl + "`"));
                methods.forEach(x -> row.add(m.containsKey(x) ? n(Math.round(m.get(x))) : ""));
                rows.add(row);
            });
            final List<String> header = new ArrayList<>(List.of("impl"));
            methods.forEach(x -> header.add(x + " (IDs/s)"));
            doc.para("JMH, `nextId()` (or the peer's call), one instance shared by the threads; " + jmhLine(r.jmhThroughput)
                    + ". `FLAKEPROOF` is the default layout, capped at 4,096,000 IDs/s by its 12 sequence bits; "
                    + "`FLAKEPROOF_UNCAPPED` a test layout with 22 sequence bits; `FLAKEPROOF_CLIENT` the Java client handing "
                    + "out prefetched ranges from a node in the benchmark's process.");
            doc.table(header, rows);
            // A log axis has no zero: the chart shows the implementations measured in every mode.
            final List<String> complete = byImpl.entrySet().stream().filter(e -> e.getValue().size() == methods.size())
                    .map(Map.Entry::getKey).toList();
            final List<Charts.Bars> bars = new ArrayList<>();
            for (String x : methods) {
                bars.add(new Charts.Bars(x, complete.stream().map(i -> byImpl.get(i).get(x)).toList()));
            }
            doc.chart("throughput", "IDs per second by implementation (log scale), same run.",
                    Charts.bars("Throughput, IDs/s", "IDs/s", complete, bars, true));
            doc.code("java -jar jmh/target/benchmarks.jar 'io\\.flakeproof\\.jmh\\.NextIdBenchmark\\.' -bm thrpt -tu s -rf json");
        }
        doc.heading(3, "Every call's latency");
        if (r.everyCallPercentiles.isEmpty()) {
            doc.para("**Not run.**");
        } else {
            final List<List<String>> rows = new ArrayList<>();
            final List<String> cats = new ArrayList<>();
            final Map<String, List<Double>> pct = new LinkedHashMap<>();
            for (String p : List.of("p50", "p99", "p99_9", "p99_99")) {
                pct.put(p, new ArrayList<>());
            }
            for (JsonNode x : r.everyCallPercentiles) {
                final String label = x.path("params").path("impl").asText() + " " + x.path("threads").asInt() + "t";
                cats.add(label);
                pct.forEach((p, list) -> list.add(Math.max(1, x.path(p).asDouble())));
                rows.add(List.of("`" + label + "`", n(x.path("calls").asLong()), x.path("p50").asText(), x.path("p99").asText(),
                        x.path("p99_9").asText(), x.path("p99_99").asText(), n(x.path("max").asLong())));
            }
            doc.para("Every call timed (`NextIdEveryCall`, saturated: calls back to back; HdrHistogram per thread), ns. "
                    + "One clock read (about 50 ns here) is in every number.");
            doc.table(List.of("impl, threads", "calls", "p50", "p99", "p99.9", "p99.99", "max"), rows);
            final List<Charts.Bars> bars = new ArrayList<>();
            pct.forEach((p, list) -> bars.add(new Charts.Bars(p.replace('_', '.'), list)));
            doc.chart("every-call", "Latency of every call by implementation, ns (log scale).",
                    Charts.bars("Every call's latency, ns", "ns", cats, bars, true));
            doc.code("java -jar jmh/target/benchmarks.jar 'io\\.flakeproof\\.jmh\\.NextIdEveryCall\\.saturated' "
                    + "-jvmArgsAppend -Dflakeproof.everycall=percentiles.jsonl");
        }
        doc.heading(3, "The node under load, against the 1 ms gate");
        if (r.loadNode == null) {
            doc.para("**Not run.**");
        } else {
            final List<List<String>> rows = new ArrayList<>();
            final List<Charts.Series> series = new ArrayList<>();
            for (Object[] x : new Object[][] {{"the node (`./flakeproof serve`)", r.loadNode}, {"the floor: " + (r.loadBaseline == null
                    ? "a trivial server" : r.loadBaseline.path("server").asText("a trivial server")), r.loadBaseline}, {"the node, batches of 1,000 IDs", r.loadBatches}}) {
                final JsonNode l = (JsonNode) x[1];
                if (l == null) {
                    continue;
                }
                final JsonNode lat = l.path("latency_ms");
                rows.add(List.of((String) x[0], f1(l.path("achieved_rate").asDouble()) + " req/s", n(Math.round(l.path("ids_per_second").asDouble())),
                        lat.path("p50").asText(), lat.path("p90").asText(), lat.path("p99").asText(), lat.path("p99_9").asText(),
                        lat.path("max").asText(), l.path("service_time_ms").path("p99").asText(),
                        l.path("send_delay_ms").path("p99").asText(), n(l.path("failed").asLong()),
                        l.has("gate") ? (l.path("gate").path("passed").asBoolean() ? "PASS" : "FAIL") : "-"));
                final List<double[]> pts = new ArrayList<>();
                lat.fields().forEachRemaining(e -> {
                    final String k = e.getKey();
                    if (k.startsWith("p")) {
                        pts.add(new double[] {Double.parseDouble(k.substring(1).replace('_', '.')), Math.max(0.001, e.getValue().asDouble())});
                    }
                });
                series.add(new Charts.Series(((String) x[0]).replace("`", ""), col(pts, 0), col(pts, 1)));
            }
            doc.para("The open-loop load generator (`./flakeproof load`, latency from each request's intended send time, so "
                    + "corrected for coordinated omission) at " + r.loadNode.path("rate").asInt() + " requests/s over "
                    + r.loadNode.path("connections").asInt() + " connections for " + r.loadNode.path("duration_s").asInt()
                    + " s after a warm-up, one ID per request; the baseline in the same run, on the same machine; ms.");
            doc.table(List.of("target", "achieved", "IDs/s", "p50", "p90", "p99", "p99.9", "max", "service time p99",
                    "send delay p99", "failed", "gate p99 < 1 ms"), rows);
            if (!series.isEmpty()) {
                doc.chart("node-latency", "Latency percentiles of the node and the baseline, with the 1 ms gate (log scale).",
                        Charts.lines("Node latency percentiles", "percentile", "latency (ms, log)", series, false, true, 1.0,
                                "gate: 1 ms"));
            }
            doc.code("./flakeproof serve --port 18080 --zookeeper-port 0 &\n./flakeproof load --url http://127.0.0.1:18080 --rate "
                    + r.loadNode.path("rate").asInt() + " --duration " + r.loadNode.path("duration_s").asInt()
                    + "s --warmup 20s --count 1 --connections 8 --gate-p99-ms 1 --baseline");
        }
        doc.heading(3, "The client");
        final JsonNode client = jmhFind(r.jmhThroughput, "FLAKEPROOF_CLIENT");
        if (client == null) {
            doc.para("**Not run** (no `FLAKEPROOF_CLIENT` benchmark in this run).");
        } else {
            doc.para("`FlakeproofClient.nextId()`, ranges prefetched from an in-process node: " + n(Math.round(client.path("primaryMetric")
                    .path("score").asDouble())) + " IDs/s on one thread in this run (table above). The fleet test with real "
                    + "processes and faults is `FleetAvailabilityIT` (README), not part of this report's run.");
        }
    }

    // ---- the seed's comparison ----

    private void comparison() {
        doc.heading(2, "The seed's comparison, measured");
        final JsonNode pg = r.postgres;
        if (pg == null) {
            doc.para("**Not run** (no PostgreSQL results).");
            return;
        }
        final JsonNode nv = pg.path("nextval");
        final JsonNode oe = pg.path("odd_even");
        final JsonNode uuid = jmhFind(r.jmhThroughput, "JDK_UUID4");
        final JsonNode flake = jmhFind(r.jmhThroughput, "FLAKEPROOF");
        final JsonNode sort = pg.path("sortability");
        doc.para("In one real PostgreSQL (" + pg.path("version").asText().replaceAll(" on .*", "") + "), started by this run on "
                + "loopback; " + pg.path("callers").asInt() + " callers, each on its own JDBC connection, calling as fast as "
                + "they can. UUIDv4 and flakeproof throughput come from the JMH run above (one thread, in-process).");
        final List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("coordination at generation time", "none", "a round trip to the database per ID",
                "none per ID (a ZooKeeper write per lease renewal, every window/3)"));
        rows.add(List.of("sortable by time (consecutive values in order, measured)", pct(sort.path("uuidv4").asDouble()),
                "each caller's values in order: " + (nv.path("in_order_per_caller").asBoolean() ? "yes" : "no")
                        + " (one server); odd/even across two servers: not measured", pct(sort.path("flakeproof").asDouble())));
        rows.add(List.of("size", "128 bits", "64 bits", "64 bits"));
        rows.add(List.of("single point of failure (measured)", "none", "yes: the callers of a stopped server get no ID; "
                + "measured on the even server of two (below): its callers failed " + n(oe.path("failed").asLong())
                + " calls, " + errors(oe),
                "none per ID: a node cut off from ZooKeeper mints for up to one window"));
        rows.add(List.of("throughput (measured)", uuid == null ? "not measured" : n(Math.round(uuid.path("primaryMetric").path("score")
                .asDouble())) + " IDs/s, one thread", n(Math.round(nv.path("calls_per_s").asDouble())) + " IDs/s on one server (p50 "
                + f3(nv.path("p50_ms").asDouble()) + " ms, p99 " + f3(nv.path("p99_ms").asDouble()) + " ms per call)",
                flake == null ? "not measured" : n(Math.round(flake.path("primaryMetric").path("score").asDouble()))
                        + " IDs/s, one thread, one generator"));
        doc.table(List.of("", "UUIDv4", "database auto-increment", "flakeproof"), rows);
        doc.heading(3, "Two servers, odd and even, one stopped");
        doc.para("Sequences `INCREMENT 2` starting at 1 and 2 on two servers, half the callers on each, for "
                + f1(oe.path("seconds").asDouble()) + " s; the even server was stopped (`pg_ctl stop -m immediate`) after "
                + n(oe.path("stopped_at_ms").asLong()) + " ms. " + n(oe.path("calls").asLong()) + " calls answered, "
                + n(oe.path("failed").asLong()) + " failed, " + n(oe.path("duplicates").asLong()) + " duplicate values. What the "
                + "stopped server's callers saw (each retries on a new connection 100 ms after a failure): " + errors(oe) + ". A caller failing over to the other server would get "
                + "only odd values from then on: unique, but no longer one sequence.");
        final JsonNode buckets = oe.path("calls_per_100ms_by_caller");
        if (buckets.isArray() && !buckets.isEmpty()) {
            final int callers = buckets.get(0).size() - 1;
            final double[] x = new double[buckets.size()];
            final double[][] y = new double[2][buckets.size()];
            for (int i = 0; i < buckets.size(); i++) {
                x[i] = buckets.get(i).get(0).asDouble() / 1000;
                for (int c = 0; c < callers; c++) {
                    y[c % 2][i] += buckets.get(i).get(c + 1).asDouble() * 10;
                }
            }
            doc.chart("odd-even", "Calls answered per second (100 ms buckets) by the odd and the even server; the even one is "
                    + "stopped halfway.", Charts.lines("Odd/even sequences: one server stopped", "time (s)", "calls/s",
                    List.of(new Charts.Series("odd server's callers", x, y[0]), new Charts.Series("even server's callers", x, y[1])),
                    false, false, null, null));
        }
        doc.heading(3, "B-tree locality");
        final List<List<String>> bt = new ArrayList<>();
        final Map<String, Map<String, Double>> load = new TreeMap<>();
        final List<String> keys = new ArrayList<>();
        for (JsonNode b : pg.path("btree")) {
            final String key = b.path("key").asText();
            if (!keys.contains(key)) {
                keys.add(key);
            }
            load.computeIfAbsent("shared_buffers " + b.path("shared_buffers").asText(), k -> new LinkedHashMap<>())
                    .put(key, b.path("load_s").asDouble());
            bt.add(List.of(key, b.path("shared_buffers").asText(), n(b.path("rows").asLong()), f2(b.path("load_s").asDouble()) + " s",
                    mb(b.path("index_bytes").asLong()), mb(b.path("table_bytes").asLong()), n(b.path("index_blocks_read").asLong()),
                    n(b.path("index_blocks_hit").asLong())));
        }
        doc.para("The same " + n(pg.path("rows").asLong()) + " rows `(id, v int)` loaded with `COPY` into a table whose "
                + "primary key is a flakeproof ID (`bigint`), a UUIDv4 or a UUIDv7 (`uuid`), or a sequence (`bigint` identity), "
                + "once with shared_buffers " + pg.path("big_buffers").asText() + " (the index fits) and once with "
                + pg.path("small_buffers").asText() + " (it does not). Index blocks read are those not found in shared buffers (a page added to the index counts as "
                + "read too: about index size / 8 KB for keys that only append).");
        doc.table(List.of("key", "shared_buffers", "rows", "load time", "index size", "table size", "index blocks read",
                "index blocks hit"), bt);
        final List<Charts.Bars> bars = new ArrayList<>();
        load.forEach((k, m) -> bars.add(new Charts.Bars(k, keys.stream().map(x -> m.getOrDefault(x, 0.0)).toList())));
        if (!bars.isEmpty()) {
            doc.chart("btree-load", "COPY load time by key type and buffer size.",
                    Charts.bars("Load time of " + n(pg.path("rows").asLong()) + " rows", "seconds", keys, bars, false));
        }
        doc.code("./flakeproof report" + (r.quick() ? " --quick" : "") + "   # starts PostgreSQL in a temporary directory and runs this section");
    }

    // ---- environment ----

    private void environment() {
        doc.heading(2, "Environment");
        final JsonNode e = r.environment;
        if (e == null) {
            doc.para("**Not recorded.**");
        } else {
            final List<List<String>> rows = new ArrayList<>();
            for (String f : List.of("date", "commit", "jdk", "cpus", "os", "max_heap_mb", "load_average_at_start", "total_seconds")) {
                if (e.has(f)) {
                    rows.add(List.of(f.replace('_', ' '), f.equals("total_seconds") ? f1(e.get(f).asDouble()) + " s" : e.get(f).asText()));
                }
            }
            doc.table(List.of("", ""), rows);
        }
        if (r.stages != null) {
            final List<List<String>> rows = new ArrayList<>();
            for (JsonNode s : r.stages) {
                rows.add(List.of(s.path("name").asText(), s.path("status").asText(), f1(s.path("seconds").asDouble()) + " s",
                        "`" + s.path("command").asText() + "`"));
            }
            doc.para("Stages of this run:");
            doc.table(List.of("stage", "status", "time", "command"), rows);
        }
        doc.para("Reproduce the whole report:");
        doc.code("./flakeproof report" + (r.quick() ? " --quick" : "") + "\n./flakeproof report --from-results reports/out/results   # re-render only");
    }

    // ---- helpers ----

    private String stageMessage(String stage, String otherwise) {
        final JsonNode s = r.stage(stage);
        return s == null || !s.has("message") ? otherwise : s.path("message").asText();
    }

    private static JsonNode jmhFind(JsonNode jmh, String impl) {
        if (jmh == null) {
            return null;
        }
        for (JsonNode b : jmh) {
            if (b.path("params").path("impl").asText().equals(impl) && b.path("benchmark").asText().endsWith("oneThread")) {
                return b;
            }
        }
        return null;
    }

    private static String jmhLine(JsonNode jmh) {
        if (jmh.isEmpty()) {
            return "no results";
        }
        final JsonNode b = jmh.get(0);
        return b.path("forks").asInt() + " fork, " + b.path("warmupIterations").asInt() + " x " + b.path("warmupTime").asText()
                + " warm-up, " + b.path("measurementIterations").asInt() + " x " + b.path("measurementTime").asText()
                + " measured, JDK " + b.path("jdkVersion").asText();
    }

    /** Every error message the callers saw, the most frequent first, with its count. */
    private static String errors(JsonNode oe) {
        final List<Map.Entry<String, JsonNode>> errors = new ArrayList<>();
        oe.path("errors").fields().forEachRemaining(errors::add);
        if (errors.isEmpty()) {
            return "no error";
        }
        errors.sort((a, b) -> Long.compare(b.getValue().asLong(), a.getValue().asLong()));
        final List<String> parts = new ArrayList<>();
        errors.forEach(e -> parts.add("\"" + e.getKey() + "\" (" + n(e.getValue().asLong()) + " times)"));
        return String.join(", ", parts);
    }

    private static List<Charts.Series> series(Map<String, List<double[]>> byPolicy, int column) {
        final List<Charts.Series> s = new ArrayList<>();
        byPolicy.forEach((p, rows) -> s.add(new Charts.Series(p, col(rows, 0), col(rows, column))));
        return s;
    }

    private static double[] col(List<double[]> rows, int i) {
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }

    static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
