package io.flakeproof.load;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The pass/fail rule of {@code --gate-p99-ms}: a run passes when its p99 latency, corrected for
 * coordinated omission, is below the threshold and no request failed. A p99 exactly at the
 * threshold fails ("p99 under 1 ms" means under).
 *
 * <p>Where the machine could not measure the threshold (the floor, a static answer, took half of it or
 * more in every run), {@link #judgeOverFloor} is the rule that {@code --when-inconclusive over-floor}
 * asks for: the node's p99 less than the threshold over the floor's in more than half of the pairs of
 * turns, the floor and the node measured one right after the other.
 *
 * @param p99Millis the threshold, in (0, {@value #MAX_P99_MILLIS}] milliseconds
 */
public record Gate(double p99Millis) {

    public static final double MAX_P99_MILLIS = 60_000;

    public Gate {
        if (!(p99Millis > 0 && p99Millis <= MAX_P99_MILLIS)) {
            throw new IllegalArgumentException("gate-p99-ms must be in (0, " + fmt(MAX_P99_MILLIS) + "]: " + fmt(p99Millis));
        }
    }

    /**
     * The verdict on a run.
     *
     * @param p99Micros the run's corrected p99, in microseconds
     * @param failed    requests that failed (wrong status, wrong body, lost connection, no answer)
     * @param requests  requests the run sent or meant to send
     */
    public Verdict judge(long p99Micros, long failed, long requests) {
        final double p99 = p99Micros / 1000.0;
        final boolean slow = p99 >= p99Millis;
        final StringBuilder line = new StringBuilder(slow || failed > 0 ? "FAIL: " : "PASS: ");
        line.append("p99 ").append(String.format(Locale.ROOT, "%.3f", p99)).append(" ms")
                .append(slow ? " >= " : " < ").append(fmt(p99Millis)).append(" ms");
        line.append(failed > 0 ? String.format(Locale.ROOT, "; %d of %d requests failed", failed, requests)
                : " and no request failed");
        return new Verdict(!slow && failed == 0, line.toString());
    }

    /**
     * The verdict over the floor, after every run was inconclusive. Each pair of turns (the floor's, then
     * the node's right after it) gives how much the node's p99 exceeded the floor's. The node passes when
     * in more than half of the pairs that is less than the threshold, and no request to either failed (a
     * floor that failed is no measure). Pair by pair, a burst of noise in one turn moves one pair, while a
     * node slower by the threshold moves them all; the p99s of all turns merged would let the floor's
     * worst turn stand for every one of them.
     *
     * @param overByTurn  per pair of turns, the node's p99 minus the floor's, in microseconds; not empty
     * @param failed      the node's failed requests
     * @param requests    the node's requests
     * @param floorFailed the floor's failed requests
     * @param runs        how many runs the pairs come from, each inconclusive
     */
    public Verdict judgeOverFloor(List<Long> overByTurn, long failed, long requests, long floorFailed, int runs) {
        if (overByTurn.isEmpty()) {
            throw new IllegalArgumentException("no pair of turns to judge the node over the floor by");
        }
        final long[] over = overByTurn.stream().mapToLong(Long::longValue).sorted().toArray();
        final long threshold = Math.round(p99Millis * 1000);
        final long under = Arrays.stream(over).filter(d -> d < threshold).count();
        final boolean slow = under * 2 <= over.length;
        final boolean passed = !slow && failed == 0 && floorFailed == 0;
        final StringBuilder line = new StringBuilder(passed ? "PASS over the floor: " : "FAIL over the floor: ");
        line.append("the node's p99 less than ").append(fmt(p99Millis)).append(" ms over the floor's in ").append(under)
                .append(" of ").append(over.length).append(" pairs of turns").append(slow ? ", not more than half" : "")
                .append(" (median ").append(LoadSummary.signedMillis(over[over.length / 2])).append(" ms, from ")
                .append(LoadSummary.signedMillis(over[0])).append(" to ").append(LoadSummary.signedMillis(over[over.length - 1]))
                .append(" ms)");
        line.append(failed > 0 ? String.format(Locale.ROOT, "; %d of %d requests failed", failed, requests)
                : " and no request to the node failed");
        if (floorFailed > 0) {
            line.append(String.format(Locale.ROOT, "; the floor failed %d requests, so it is no measure", floorFailed));
        }
        line.append(runs == 1 ? " (the only run," : " (" + runs + " runs, each")
                .append(" inconclusive: the floor took half the gate or more)");
        return new Verdict(passed, line.toString(), true);
    }

    /** A number as people write it: {@code 1}, not {@code 1.0}; {@code 0.5} as is. */
    private static String fmt(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * @param passed    whether the run passed
     * @param line      {@code PASS: ...} or {@code FAIL: ...} ({@code PASS over the floor: ...} or {@code FAIL over
     *                  the floor: ...} after inconclusive runs), naming the measured p99, the threshold and failures
     * @param overFloor whether the verdict is {@link #judgeOverFloor}'s rather than on the node's own p99
     */
    public record Verdict(boolean passed, String line, boolean overFloor) {

        /** A verdict on the node's own p99. */
        public Verdict(boolean passed, String line) {
            this(passed, line, false);
        }
    }
}
