package io.flakeproof.load;

import java.util.Locale;

/**
 * The pass/fail rule of {@code --gate-p99-ms}: a run passes when its p99 latency, corrected for
 * coordinated omission, is below the threshold and no request failed. A p99 exactly at the
 * threshold fails ("p99 under 1 ms" means under).
 *
 * <p>Where the machine could not measure the threshold (the floor, a static answer, took half of it or
 * more in every run), {@link #judgeOverFloor} is the rule that {@code --when-inconclusive over-floor}
 * asks for: the node's p99 less than the threshold over the floor's, measured in the same turns.
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
     * The verdict over the floor, after every run was inconclusive: the node passes when its p99 exceeds
     * the floor's, measured in turns over the same stretch of time, by less than the threshold, and no
     * request to either failed (a floor that failed is no measure). At exactly the threshold over it, it
     * fails.
     *
     * @param nodeP99Micros  the node's corrected p99, every run's turns together, in microseconds
     * @param floorP99Micros the floor's, the same turns together
     * @param failed         the node's failed requests
     * @param requests       the node's requests
     * @param floorFailed    the floor's failed requests
     * @param runs           how many runs were taken together, each inconclusive
     */
    public Verdict judgeOverFloor(long nodeP99Micros, long floorP99Micros, long failed, long requests, long floorFailed,
                                  int runs) {
        final long over = nodeP99Micros - floorP99Micros;
        final boolean slow = over >= Math.round(p99Millis * 1000);
        final boolean passed = !slow && failed == 0 && floorFailed == 0;
        final StringBuilder line = new StringBuilder(passed ? "PASS over the floor: " : "FAIL over the floor: ");
        line.append("p99 ").append(millis(nodeP99Micros)).append(" ms, ").append(over >= 0 ? "+" : "-")
                .append(millis(Math.abs(over))).append(" ms over the floor's ").append(millis(floorP99Micros))
                .append(" ms in the same turns").append(slow ? " >= " : " < ").append(fmt(p99Millis)).append(" ms");
        line.append(failed > 0 ? String.format(Locale.ROOT, "; %d of %d requests failed", failed, requests)
                : " and no request failed");
        if (floorFailed > 0) {
            line.append(String.format(Locale.ROOT, "; the floor failed %d requests, so it is no measure", floorFailed));
        }
        line.append(runs == 1 ? " (the only run," : " (" + runs + " runs together, each")
                .append(" inconclusive: the floor took half the gate or more)");
        return new Verdict(passed, line.toString(), true);
    }

    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
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
