package io.flakeproof.simulation;

import java.util.List;
import java.util.Map;

/**
 * One run's outcome, in the shape of Jepsen's {@code unique-ids} checker (valid?, attempted,
 * acknowledged, duplicated count, the duplicated IDs, range) plus the per-run figures.
 *
 * @param params   the drawn world
 * @param faults   the faults injected
 * @param ids      the checkers' verdict
 * @param coverage the dangerous paths reached
 * @param timeline what happened, when the run kept one (replays of counterexamples)
 * @param events   events processed
 * @param error    a run that could not finish (its event budget), or null
 * @param explanation one sentence on why two IDs were equal (or the first violation); empty when valid
 */
record RunResult(Params params, List<Fault> faults, Ids ids, Coverage coverage, List<Timeline.Entry> timeline,
        long events, String error, String explanation) {

    /**
     * @param attempted      requests sent
     * @param acknowledged   requests answered with IDs
     * @param minted         IDs handed out
     * @param duplicated     how many IDs were handed out more than once (beyond the first)
     * @param duplicatedIds  the first of them
     * @param lowest         the lowest ID handed out
     * @param highest        the highest
     * @param violations     monotonicity, floor, ceiling and term-interval violations
     * @param refusals       refused requests by cause
     * @param maxLeadNanos   the most an ID's time ran ahead of true time
     * @param maxLagNanos    the most it ran behind
     * @param longestStallNanos the longest a node refused every request
     */
    record Ids(long attempted, long acknowledged, long minted, long duplicated, List<Long> duplicatedIds, long lowest,
            long highest, List<String> violations, Map<String, Long> refusals, long maxLeadNanos, long maxLagNanos,
            long longestStallNanos) {
    }

    /** Jepsen's {@code valid?}: no duplicate and no other violation, and the run finished. */
    boolean valid() {
        return error == null && ids.duplicated() == 0 && ids.violations().isEmpty();
    }

    /** Whether the run found a collision or another violation (an unfinished run is not one). */
    boolean violated() {
        return error == null && !valid();
    }

    long faultsOf(Fault.Kind kind) {
        return faults.stream().filter(f -> f.kind() == kind).count();
    }
}
