package io.flakeproof.cli;

import java.util.function.Function;

/**
 * Range checks whose message names the value and its bound, the way every flakeproof error does:
 * {@code rate must be in [1, 1000000]: 0}. They throw {@code IllegalArgumentException}, which
 * {@link CommandLines#check} turns into a one-line exit 2 on a command line.
 */
public final class Bounds {

    private Bounds() {
    }

    /**
     * {@code value}, if it is in {@code [min, max]}.
     *
     * @throws IllegalArgumentException {@code NAME must be in [MIN, MAX]: VALUE}
     */
    public static long requireIn(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    /** {@link #requireIn(String, long, long, long)} for an {@code int}. */
    public static int requireIn(String name, int value, int min, int max) {
        return (int) requireIn(name, (long) value, min, max);
    }

    /** {@link #requireIn(String, long, long, long)} for a {@code double}; NaN is out of every range. */
    public static double requireIn(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    /**
     * {@code value}, if it is null (an option not given) or in {@code [min, max]}; the bounds and the
     * value are shown with {@code show}.
     *
     * @throws IllegalArgumentException {@code NAME must be in [MIN, MAX]: VALUE}
     */
    public static <T extends Comparable<? super T>> T requireIn(String name, T value, T min, T max,
            Function<? super T, String> show) {
        if (value != null && (value.compareTo(min) < 0 || value.compareTo(max) > 0)) {
            throw new IllegalArgumentException(name + " must be in [" + show.apply(min) + ", " + show.apply(max) + "]: "
                    + show.apply(value));
        }
        return value;
    }
}
