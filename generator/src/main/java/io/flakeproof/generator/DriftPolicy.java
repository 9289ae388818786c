package io.flakeproof.generator;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What a generator does when its clock reads behind the tick it last minted in (a backward step,
 * or a clock slower than the rate the generator has been borrowing ahead at).
 *
 * <ul>
 *   <li>{@link Kind#FAIL}: refuse at once (Twitter's original behaviour). Sequence exhaustion still
 *       waits for the next tick, at most one tick long.</li>
 *   <li>{@link Kind#WAIT}: block until the clock passes the last minted tick, at most {@code maxWait},
 *       then refuse.</li>
 *   <li>{@link Kind#ABSORB} (default, 5 ms / 1 s): while the clock is at most {@code tolerance} behind,
 *       keep minting from the last tick, borrowing the following ticks as long as the lead over the
 *       clock stays within {@code tolerance}; beyond it, behave as WAIT.</li>
 * </ul>
 * No policy can mint a duplicate: each only chooses between waiting, borrowing ahead, and refusing.
 *
 * @param kind      which behaviour
 * @param tolerance how far ahead of the clock ABSORB may mint; zero for the others
 * @param maxWait   the longest a single call waits for the clock to catch up; zero for FAIL
 */
public record DriftPolicy(Kind kind, Duration tolerance, Duration maxWait) {

    /** The behaviours; see the class comment. */
    public enum Kind { FAIL, WAIT, ABSORB }

    /** The longest tolerance or wait a policy accepts: one hour. Put a limit on everything. */
    public static final Duration MAX_DURATION = Duration.ofHours(1);

    /** ABSORB(5 ms, 1 s). */
    public static final DriftPolicy DEFAULT = absorb(Duration.ofMillis(5), Duration.ofSeconds(1));

    public DriftPolicy {
        Objects.requireNonNull(kind, "kind");
        requireDuration("tolerance", tolerance);
        requireDuration("maxWait", maxWait);
        if (kind != Kind.ABSORB && !tolerance.isZero()) {
            throw new IllegalArgumentException("only ABSORB has a tolerance: " + kind + " with " + tolerance.toMillis() + " ms");
        }
        if (kind == Kind.FAIL && !maxWait.isZero()) {
            throw new IllegalArgumentException("FAIL does not wait: maxWait " + maxWait.toMillis() + " ms");
        }
    }

    /** Refuse as soon as the clock reads behind the last minted tick. */
    public static DriftPolicy fail() {
        return new DriftPolicy(Kind.FAIL, Duration.ZERO, Duration.ZERO);
    }

    /** Wait up to {@code maxWait} for the clock to pass the last minted tick, then refuse. */
    public static DriftPolicy waitUpTo(Duration maxWait) {
        return new DriftPolicy(Kind.WAIT, Duration.ZERO, maxWait);
    }

    /** Mint ahead of the clock by up to {@code tolerance}; beyond it, wait up to {@code maxWait}. */
    public static DriftPolicy absorb(Duration tolerance, Duration maxWait) {
        return new DriftPolicy(Kind.ABSORB, tolerance, maxWait);
    }

    /**
     * Parses {@code fail}, {@code wait[:MAXWAIT]} or {@code absorb[:TOLERANCE[:MAXWAIT]]}, durations
     * written like {@code 5ms}, {@code 1s}, {@code 2m}. Omitted parts take the default's values.
     *
     * @throws IllegalArgumentException naming the text and what was expected
     */
    public static DriftPolicy parse(String text) {
        final String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", -1);
        final String expected = "expected fail, wait[:MAXWAIT] or absorb[:TOLERANCE[:MAXWAIT]], such as absorb:5ms:1s";
        switch (parts[0]) {
            case "fail":
                if (parts.length != 1) {
                    throw new IllegalArgumentException("fail takes no durations: '" + text + "'; " + expected);
                }
                return fail();
            case "wait":
                if (parts.length > 2) {
                    throw new IllegalArgumentException("wait takes one duration: '" + text + "'; " + expected);
                }
                return waitUpTo(parts.length == 2 ? Durations.parse(parts[1]) : DEFAULT.maxWait);
            case "absorb":
                if (parts.length > 3) {
                    throw new IllegalArgumentException("absorb takes two durations: '" + text + "'; " + expected);
                }
                return absorb(parts.length >= 2 ? Durations.parse(parts[1]) : DEFAULT.tolerance,
                        parts.length == 3 ? Durations.parse(parts[2]) : DEFAULT.maxWait);
            default:
                throw new IllegalArgumentException("unknown drift policy '" + text + "': " + expected);
        }
    }

    private static void requireDuration(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(name + " must be in [0 ms, " + MAX_DURATION.toMillis() + " ms]: "
                    + value.toMillis() + " ms");
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case FAIL:
                return "fail";
            case WAIT:
                return "wait:" + Durations.format(maxWait);
            default:
                return "absorb:" + Durations.format(tolerance) + ":" + Durations.format(maxWait);
        }
    }
}
