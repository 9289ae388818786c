package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkers, separate from the faults: every ID distinct (every one, not a sample), each holder's
 * IDs strictly increasing, each term's ticks above its floor and never above a ceiling it was
 * acknowledged, each worker's terms minting in disjoint intervals, ID time against true time (the
 * largest lead and lag), and availability (requests served, refusals by cause, the longest stall).
 */
final class Checker {

    /** What one term (one generator) minted: its node, worker, floor and the range of ticks. */
    static final class Term {
        final int node;
        final long worker;
        final long epoch;
        final long floor;
        final String label;
        long maxId = Long.MIN_VALUE;
        long minTick = Long.MAX_VALUE;
        long maxTick = Long.MIN_VALUE;
        long minted;

        Term(int node, long worker, long epoch, long floor, String label) {
            this.node = node;
            this.worker = worker;
            this.epoch = epoch;
            this.floor = floor;
            this.label = label;
        }
    }

    private final BitLayout layout;
    private final boolean fenced;
    private long[] ids = new long[1 << 16];
    private int idCount;
    private final IdentityHashMap<SnowflakeGenerator, Term> terms = new IdentityHashMap<>();
    /** Terms in the order they were first seen, for deterministic reports. */
    private final List<Term> termOrder = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final TreeMap<String, Long> refusals = new TreeMap<>();
    private long attempted;
    private long served;
    private long maxLeadNanos;
    private final long maxLeadBoundNanos;
    private long maxLagNanos;
    private final TreeMap<Integer, long[]> stalls = new TreeMap<>(); // node -> {last served at, longest stall}

    /**
     * @param maxLeadNanos the most an ID's time may run ahead of true time: for the fenced protocol the
     *                     offset bound plus the window plus slack for round trips (a ceiling is vouched
     *                     for by an in-bound clock reading plus monotonic time), unbounded for the others
     */
    Checker(BitLayout layout, boolean fenced, long maxLeadNanos) {
        this.layout = layout;
        this.fenced = fenced;
        this.maxLeadBoundNanos = maxLeadNanos;
    }

    /** The term a generator mints for; registered when it goes into service. */
    Term term(SnowflakeGenerator g, int node, long worker, long epoch, long floor, String label) {
        return terms.computeIfAbsent(g, k -> {
            final Term t = new Term(node, worker, epoch, floor, label);
            termOrder.add(t);
            return t;
        });
    }

    void attempted(SimNode node) {
        attempted++;
    }

    /** Before a call: the largest ID the generator had returned, which every ID of the call must exceed. */
    long begin(SnowflakeGenerator g) {
        final Term t = terms.get(g);
        return t == null ? Long.MIN_VALUE : t.maxId;
    }

    /** A call on {@code g} returned {@code minted}, in order, at true time {@code nowNanos}. */
    void minted(SimNode node, SnowflakeGenerator g, long before, long[] minted, long nowNanos, long ceilingTick) {
        served++;
        final long[] stall = stalls.computeIfAbsent(node.index(), k -> new long[] {nowNanos, 0});
        stall[0] = nowNanos;
        final Term t = terms.computeIfAbsent(g, k -> {
            final Term fresh = new Term(node.index(), g.lease().workerId(), termOrder.size(), g.lease().floorTick(),
                    "node " + node.index() + " generator " + termOrder.size());
            termOrder.add(fresh);
            return fresh;
        });
        if (minted[0] <= before) {
            violations.add(t.label + " returned " + minted[0] + " after having returned " + before + ": not increasing");
        }
        for (int i = 0; i < minted.length; i++) {
            if (i > 0 && minted[i] <= minted[i - 1]) {
                violations.add(t.label + " returned " + minted[i] + " after " + minted[i - 1] + " in one call");
            }
            append(minted[i]);
        }
        final long first = layout.tickOf(minted[0]);
        final long last = layout.tickOf(minted[minted.length - 1]);
        if (fenced && first <= t.floor) {
            violations.add(t.label + " minted tick " + first + " at or below its floor " + t.floor);
        }
        if (fenced && last > ceilingTick) {
            violations.add(t.label + " minted tick " + last + " above the ceiling it was acknowledged, " + ceilingTick);
        }
        t.maxId = Math.max(t.maxId, minted[minted.length - 1]);
        t.minTick = Math.min(t.minTick, first);
        t.maxTick = Math.max(t.maxTick, last);
        t.minted += minted.length;
        final long trueMillis = SimClock.EPOCH_WALL_MILLIS * 1_000_000 + nowNanos;
        final long lead = layout.startMillisOf(last) * 1_000_000 - trueMillis;
        if (lead > maxLeadBoundNanos && maxLeadNanos <= maxLeadBoundNanos) {
            violations.add(t.label + " minted tick " + last + ", " + Timeline.millis(lead) + " ahead of true time: "
                    + "beyond the offset bound plus the window (" + Timeline.millis(maxLeadBoundNanos) + ")");
        }
        maxLeadNanos = Math.max(maxLeadNanos, lead);
        maxLagNanos = Math.max(maxLagNanos, trueMillis - layout.startMillisOf(first) * 1_000_000);
    }

    void violation(String what) {
        violations.add(what);
    }

    void refused(SimNode node, String cause, long nowNanos) {
        refusals.merge(cause, 1L, Long::sum);
        final long[] stall = stalls.get(node.index());
        if (stall != null) {
            stall[1] = Math.max(stall[1], nowNanos - stall[0]);
        }
    }

    private void append(long id) {
        if (idCount == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[idCount++] = id;
    }

    /** The verdict, once the run is over. */
    RunResult.Ids finish() {
        final long[] sorted = Arrays.copyOf(ids, idCount);
        Arrays.sort(sorted);
        final List<Long> duplicated = new ArrayList<>();
        long duplicates = 0;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                duplicates++;
                if (duplicated.size() < 20 && (duplicated.isEmpty() || duplicated.get(duplicated.size() - 1) != sorted[i])) {
                    duplicated.add(sorted[i]);
                }
            }
        }
        if (fenced) {
            checkDisjointTerms();
        }
        return new RunResult.Ids(attempted, served, idCount, duplicates, duplicated,
                idCount == 0 ? 0 : sorted[0], idCount == 0 ? 0 : sorted[idCount - 1], List.copyOf(violations),
                new TreeMap<>(refusals), maxLeadNanos, maxLagNanos, longestStallNanos());
    }

    /** Each worker's terms minted in disjoint tick intervals, from above their floors to their highest tick. */
    private void checkDisjointTerms() {
        final TreeMap<Long, List<Term>> byWorker = new TreeMap<>();
        for (Term t : termOrder) {
            if (t.minted > 0) {
                byWorker.computeIfAbsent(t.worker, w -> new ArrayList<>()).add(t);
            }
        }
        for (Map.Entry<Long, List<Term>> e : byWorker.entrySet()) {
            final List<Term> ts = e.getValue();
            for (int a = 0; a < ts.size(); a++) {
                for (int b = a + 1; b < ts.size(); b++) {
                    final Term x = ts.get(a);
                    final Term y = ts.get(b);
                    if (x.floor + 1 <= y.maxTick && y.floor + 1 <= x.maxTick) {
                        violations.add("worker " + e.getKey() + ": " + x.label + " minted ticks (" + x.floor + ", "
                                + x.maxTick + "] and " + y.label + " minted ticks (" + y.floor + ", " + y.maxTick
                                + "]: they overlap");
                    }
                }
            }
        }
    }

    private long longestStallNanos() {
        long longest = 0;
        for (long[] s : stalls.values()) {
            longest = Math.max(longest, s[1]);
        }
        return longest;
    }

    /** The terms that minted a given ID's tick on its worker, for a counterexample's explanation. */
    List<Term> termsCovering(long id) {
        final long worker = layout.workerOf(id);
        final long tick = layout.tickOf(id);
        final List<Term> found = new ArrayList<>();
        for (Term t : termOrder) {
            if (t.worker == worker && t.minTick <= tick && tick <= t.maxTick) {
                found.add(t);
            }
        }
        return found;
    }
}
