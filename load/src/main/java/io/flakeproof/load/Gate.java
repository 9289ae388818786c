package io.flakeproof.load;

import java.util.Locale;

/**
 * The pass/fail rule of {@code --gate-p99-ms}: a run passes when its p99 latency, corrected for
 * coordinated omission, is below the threshold and no request failed. A p99 exactly at the
 * threshold fails ("p99 under 1 ms" means under).
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

    /** A number as people write it: {@code 1}, not {@code 1.0}; {@code 0.5} as is. */
    private static String fmt(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /**
     * @param passed whether the run passed
     * @param line   {@code PASS: ...} or {@code FAIL: ...}, naming the measured p99, the threshold and failures
     */
    public record Verdict(boolean passed, String line) {
    }
}
