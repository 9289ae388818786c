package io.flakeproof.simulation;

import io.flakeproof.generator.DriftPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Many seeds of one protocol, policy and scenario. Each seed runs on one thread from start to end, so
 * results do not depend on the thread count; they are gathered in seed order. Violations are shrunk.
 */
final class Campaign {

    /** What a campaign is asked to run. */
    record Spec(String protocol, DriftPolicy policy, Scenario scenario, long from, long seeds, int threads,
            Params.Overrides overrides) {
    }

    /** A violation found, with its shrunk schedule. */
    record Violation(RunResult original, Shrinker.Shrunk shrunk) {
    }

    /** The campaign's totals. */
    static final class Totals {
        long seeds;
        long idsChecked;
        long requests;
        long served;
        long unfinished;
        long events;
        long maxLeadNanos;
        long maxLagNanos;
        long longestStallNanos;
        final TreeMap<String, Long> faultsByKind = new TreeMap<>();
        final TreeMap<String, Long> refusals = new TreeMap<>();
        final Coverage coverage = new Coverage();
        final List<Violation> violations = new ArrayList<>();
        final List<String> unfinishedSeeds = new ArrayList<>();
        long violatingSeeds;

        void add(RunResult r) {
            seeds++;
            idsChecked += r.ids().minted();
            requests += r.ids().attempted();
            served += r.ids().acknowledged();
            events += r.events();
            maxLeadNanos = Math.max(maxLeadNanos, r.ids().maxLeadNanos());
            maxLagNanos = Math.max(maxLagNanos, r.ids().maxLagNanos());
            longestStallNanos = Math.max(longestStallNanos, r.ids().longestStallNanos());
            r.faults().forEach(f -> faultsByKind.merge(f.kind().name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum));
            r.ids().refusals().forEach((k, v) -> refusals.merge(k, v, Long::sum));
            coverage.addAll(r.coverage());
            if (r.error() != null) {
                unfinished++;
                if (unfinishedSeeds.size() < 20) {
                    unfinishedSeeds.add(r.params().seed() + ": " + r.error());
                }
            }
            if (r.violated()) {
                violatingSeeds++;
            }
        }

        /** The share of requests answered with IDs. */
        double availability() {
            return requests == 0 ? 1 : (double) served / requests;
        }
    }

    /** Progress as the campaign goes: seeds done, IDs checked, violations so far. */
    interface Progress {
        void update(long seedsDone, long idsChecked, long violations);
    }

    /** At most this many violations are shrunk and reported in full; the rest are counted. */
    static final int MAX_SHRUNK = 3;

    private Campaign() {
    }

    static Totals run(Spec spec, Progress progress) throws InterruptedException {
        final ExecutorService pool = Executors.newFixedThreadPool(spec.threads());
        final AtomicLong done = new AtomicLong();
        final AtomicLong ids = new AtomicLong();
        final AtomicLong violations = new AtomicLong();
        try {
            final List<Future<RunResult>> futures = new ArrayList<>();
            for (long s = spec.from(); s < spec.from() + spec.seeds(); s++) {
                final long seed = s;
                futures.add(pool.submit(() -> {
                    final RunResult r = runSeed(spec, seed);
                    final long d = done.incrementAndGet();
                    final long i = ids.addAndGet(r.ids().minted());
                    final long v = r.violated() ? violations.incrementAndGet() : violations.get();
                    progress.update(d, i, v);
                    return r;
                }));
            }
            final Totals totals = new Totals();
            for (Future<RunResult> f : futures) {
                final RunResult r = get(f);
                totals.add(r);
                if (r.violated() && totals.violations.size() < MAX_SHRUNK) {
                    totals.violations.add(new Violation(r, Shrinker.shrink(r.params(), r.faults())));
                }
            }
            return totals;
        } finally {
            pool.shutdownNow();
        }
    }

    static RunResult runSeed(Spec spec, long seed) {
        final Params p = Params.draw(seed, spec.protocol(), spec.policy(), spec.scenario(), spec.overrides());
        return new World(p, spec.scenario().draw(p), false).run();
    }

    private static RunResult get(Future<RunResult> f) throws InterruptedException {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a seed failed to run: " + e.getCause(), e.getCause());
        }
    }

    static void forEachViolation(Totals totals, Consumer<Violation> action) {
        totals.violations.forEach(action);
    }
}
