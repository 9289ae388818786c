package io.flakeproof.client;

import java.time.Instant;
import java.util.Objects;

/**
 * The fleet's bit layout as a node reports it in {@code GET /health}, for decoding IDs on the client.
 * Fields run tick | datacenter | worker | sequence from high to low; the bits sum to at most 63, and
 * any bits above them are 0.
 *
 * @param tickBits       bits of the tick field
 * @param datacenterBits bits of the datacenter field
 * @param workerBits     bits of the worker field
 * @param sequenceBits   bits of the sequence field
 * @param tickMillis     milliseconds per tick, at least 1
 * @param epoch          the instant of tick 0
 */
public record FleetLayout(int tickBits, int datacenterBits, int workerBits, int sequenceBits, long tickMillis,
        Instant epoch) {

    /** Bits an ID has for its fields: a long's 64 minus the sign bit, which is always 0. */
    private static final int USABLE_BITS = 63;

    /** @throws IllegalArgumentException naming the field, its value and its bound */
    public FleetLayout {
        Objects.requireNonNull(epoch, "epoch");
        requireInRange("tickBits", tickBits, 1, USABLE_BITS);
        requireInRange("datacenterBits", datacenterBits, 0, USABLE_BITS);
        requireInRange("workerBits", workerBits, 0, USABLE_BITS);
        requireInRange("sequenceBits", sequenceBits, 0, USABLE_BITS);
        requireInRange("the sum of the bits", tickBits + datacenterBits + workerBits + sequenceBits, 1, USABLE_BITS);
        requireInRange("tickMillis", tickMillis, 1, Long.MAX_VALUE);
    }

    /** The layout of {@code bits} ({@code T/D/W/S}, such as {@code 41/0/10/12}), a tick length and an epoch. */
    static FleetLayout of(String bits, long tickMillis, Instant epoch) {
        final String[] parts = bits.split("/", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("bits must be T/D/W/S such as 41/0/10/12: '" + bits + "'");
        }
        final int[] values = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                values[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bits must be T/D/W/S such as 41/0/10/12: '" + bits + "'", e);
            }
        }
        return new FleetLayout(values[0], values[1], values[2], values[3], tickMillis, epoch);
    }

    /**
     * The fields of an ID minted under this layout.
     *
     * @throws IllegalArgumentException if the ID is negative (bit 63 is never set)
     */
    public Decoded decode(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must be in [0, " + Long.MAX_VALUE + "]: " + id);
        }
        // Shifts from the bottom: sequence at 0, worker at sequenceBits, datacenter above it, tick above that.
        final int workerShift = sequenceBits;
        final int datacenterShift = workerShift + workerBits;
        final int tickShift = datacenterShift + datacenterBits;
        final long tick = id >>> tickShift;
        return new Decoded(id, epoch.plusMillis(tick * tickMillis), tick,
                (id >>> datacenterShift) & mask(datacenterBits), (id >>> workerShift) & mask(workerBits),
                id & mask(sequenceBits));
    }

    /** {@code T/D/W/S}. */
    public String bits() {
        return tickBits + "/" + datacenterBits + "/" + workerBits + "/" + sequenceBits;
    }

    /** 2^bits - 1: the largest value a field of that many bits holds. */
    private static long mask(int bits) {
        return (1L << bits) - 1;
    }

    private static void requireInRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    /**
     * The fields of one ID.
     *
     * @param id           the ID
     * @param timestamp    the start of its tick
     * @param tick         ticks since the epoch
     * @param datacenterId the datacenter field
     * @param workerId     the worker field
     * @param sequence     the sequence field
     */
    public record Decoded(long id, Instant timestamp, long tick, long datacenterId, long workerId, long sequence) {
    }
}
