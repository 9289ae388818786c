package io.flakeproof.generator;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the 63 usable bits of an ID are split (or its low 53, for IDs that JavaScript holds exactly), and
 * what one tick means.
 *
 * <pre>
 *  bit 63   62 ............... tickShift  ... datacenterShift ... workerShift ... 0
 *  +-----+--------------------+------------+------------+--------------+
 *  |  0  | tick since epoch   | datacenter |   worker   |   sequence   |
 *  +-----+--------------------+------------+------------+--------------+
 * </pre>
 *
 * <p>Fields are always ordered tick | datacenter | worker | sequence, high to low, so IDs sort by
 * time, and the IDs one worker mints in one tick are consecutive longs. Bit 63 is always 0: every
 * ID is a positive signed long. This class is the only place that shifts and masks an ID.
 *
 * <p>A layout and its epoch are fleet-wide facts: two nodes minting with different layouts can
 * collide, so the registry stores the layout once and nodes that disagree refuse to start.
 *
 * @param tickBits       bits of the tick field; 2^tickBits ticks is the layout's lifetime
 * @param datacenterBits bits of the datacenter field; 2^datacenterBits datacenters (0 allowed)
 * @param workerBits     bits of the worker field; 2^workerBits workers per datacenter (0 allowed)
 * @param sequenceBits   bits of the sequence field; 2^sequenceBits IDs per tick per worker
 * @param tickMillis     length of one tick in milliseconds, at least 1
 * @param epochMillis    the instant of tick 0, in milliseconds since 1970-01-01T00:00:00Z
 */
public record BitLayout(
        int tickBits, int datacenterBits, int workerBits, int sequenceBits, long tickMillis, long epochMillis) {

    /** Bits available to the fields: 64 minus the sign bit, which is always 0. */
    public static final int USABLE_BITS = 63;

    /**
     * Bits of a JavaScript-safe layout: its fields sum to 53, the bits above stay 0, so every ID it can
     * ever mint is below 2^53 and a JavaScript number (an IEEE double) holds it exactly.
     */
    public static final int JAVASCRIPT_SAFE_BITS = 53;

    /** The default epoch, 2025-01-01T00:00:00Z. */
    public static final Instant DEFAULT_EPOCH = Instant.parse("2025-01-01T00:00:00Z");

    private static final double MILLIS_PER_YEAR = 365.2425 * 24 * 3600 * 1000;

    private static final Map<String, BitLayout> PRESETS = presetTable();

    public BitLayout {
        requireInRange("tickBits", tickBits, 1, USABLE_BITS);
        requireInRange("datacenterBits", datacenterBits, 0, USABLE_BITS);
        requireInRange("workerBits", workerBits, 0, USABLE_BITS);
        requireInRange("sequenceBits", sequenceBits, 0, USABLE_BITS);
        final int sum = tickBits + datacenterBits + workerBits + sequenceBits;
        if (sum != USABLE_BITS && sum != JAVASCRIPT_SAFE_BITS) {
            throw new IllegalArgumentException("tick, datacenter, worker and sequence bits must sum to "
                    + USABLE_BITS + " (or " + JAVASCRIPT_SAFE_BITS + " for IDs below 2^53): " + tickBits + "+"
                    + datacenterBits + "+" + workerBits + "+" + sequenceBits + " = " + sum);
        }
        if (tickMillis < 1) {
            throw new IllegalArgumentException("tickMillis must be at least 1: " + tickMillis);
        }
        // The last tick must be an instant a long of milliseconds can hold.
        final long maxTick = (1L << tickBits) - 1;
        if (maxTick > (Long.MAX_VALUE - Math.max(0, epochMillis)) / tickMillis) {
            throw new IllegalArgumentException("the tick field outlives a long of milliseconds: 2^" + tickBits
                    + " ticks of " + tickMillis + " ms from epoch " + epochMillis);
        }
    }

    /** The `snowflake` preset on the default epoch: 41/0/10/12, 1 ms ticks. */
    public static BitLayout snowflake() {
        return PRESETS.get("snowflake");
    }

    /**
     * The preset of that name on the default epoch.
     *
     * @throws IllegalArgumentException naming the unknown name and the known ones
     */
    public static BitLayout preset(String name) {
        final BitLayout layout = PRESETS.get(name);
        if (layout == null) {
            throw new IllegalArgumentException("unknown layout '" + name + "': expected one of "
                    + String.join(", ", PRESETS.keySet()) + " or T/D/W/S bits such as 41/0/10/12");
        }
        return layout;
    }

    /** The presets by name, in the order they are documented, on the default epoch. */
    public static Map<String, BitLayout> presets() {
        return PRESETS;
    }

    /**
     * A layout from a preset name or a {@code T/D/W/S} bit spec, with an optional tick length and
     * epoch (null keeps the preset's, or 1 ms and the default epoch for a bit spec).
     *
     * @param spec       a preset name ({@code snowflake}) or bits ({@code 41/5/5/12})
     * @param tickMillis tick length in ms, or null
     * @param epoch      epoch as milliseconds since 1970 or ISO-8601 ({@code 2025-01-01T00:00:00Z}), or null
     * @throws IllegalArgumentException naming the value that is wrong and what was expected
     */
    public static BitLayout parse(String spec, Long tickMillis, String epoch) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("layout must be a preset name or T/D/W/S bits: '" + spec + "'");
        }
        final BitLayout base = spec.contains("/") ? parseBits(spec.trim()) : preset(spec.trim());
        final long tick = tickMillis == null ? base.tickMillis : tickMillis;
        final long epochMs = epoch == null ? base.epochMillis : parseEpoch(epoch);
        return new BitLayout(base.tickBits, base.datacenterBits, base.workerBits, base.sequenceBits, tick, epochMs);
    }

    /**
     * Epoch milliseconds from either a number of milliseconds since 1970 or an ISO-8601 instant.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static long parseEpoch(String epoch) {
        final String text = epoch.trim();
        if (text.matches("-?\\d+")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("epoch is out of range of a long of milliseconds: " + text, e);
            }
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "epoch must be milliseconds since 1970 or ISO-8601 like 2025-01-01T00:00:00Z: '" + epoch + "'", e);
        }
    }

    private static BitLayout parseBits(String spec) {
        final String[] parts = spec.split("/", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "layout bits must be T/D/W/S (tick/datacenter/worker/sequence), such as 41/0/10/12: '" + spec + "'");
        }
        final int[] bits = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                bits[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layout bits must be whole numbers, T/D/W/S such as 41/0/10/12: '"
                        + spec + "'", e);
            }
        }
        return new BitLayout(bits[0], bits[1], bits[2], bits[3], 1, DEFAULT_EPOCH.toEpochMilli());
    }

    private static Map<String, BitLayout> presetTable() {
        final long epoch = DEFAULT_EPOCH.toEpochMilli();
        final Map<String, BitLayout> table = new LinkedHashMap<>();
        table.put("snowflake", new BitLayout(41, 0, 10, 12, 1, epoch));
        table.put("snowflake-dc", new BitLayout(41, 5, 5, 12, 1, epoch));
        table.put("sonyflake-like", new BitLayout(39, 0, 16, 8, 10, epoch));
        // Instagram's scheme is 41/13/10 in 64 bits, sign bit included; ours keeps bit 63 clear, so it
        // gives up one sequence bit (512 IDs per ms per shard) rather than half of its 69.7 years.
        table.put("instagram-like", new BitLayout(41, 0, 13, 9, 1, epoch));
        table.put("baidu-like", new BitLayout(28, 0, 22, 13, 1000, epoch));
        // 53 bits: below 2^53 for its whole lifetime, so JavaScript reads every ID exactly; it keeps the
        // 41-bit millisecond tick (69.7 years) and pays with 16 workers of 256 IDs per ms.
        table.put("js-safe", new BitLayout(41, 0, 4, 8, 1, epoch));
        return Collections.unmodifiableMap(table);
    }

    private static void requireInRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    // ---- field geometry: every shift and mask of an ID is derived here ----

    /** Where the sequence field ends and the worker field starts: sequenceBits. */
    public int workerShift() {
        return sequenceBits;
    }

    /** Where the datacenter field starts: sequenceBits + workerBits. */
    public int datacenterShift() {
        return sequenceBits + workerBits;
    }

    /** Where the tick field starts: sequenceBits + workerBits + datacenterBits (63 - tickBits but for js-safe layouts). */
    public int tickShift() {
        return sequenceBits + workerBits + datacenterBits;
    }

    /** Bits the fields take, 63 or {@value #JAVASCRIPT_SAFE_BITS}: every ID of this layout is below 2^idBits. */
    public int idBits() {
        return tickBits + datacenterBits + workerBits + sequenceBits;
    }

    /** Largest tick the field holds: 2^tickBits - 1 (41 bits of 1 ms: 69.7 years). */
    public long maxTick() {
        return (1L << tickBits) - 1;
    }

    /** Largest datacenter ID: 2^datacenterBits - 1 (0 when the layout has no datacenter field). */
    public long maxDatacenterId() {
        return (1L << datacenterBits) - 1;
    }

    /** Largest worker ID: 2^workerBits - 1 (10 bits: 1,023). */
    public long maxWorkerId() {
        return (1L << workerBits) - 1;
    }

    /** Largest sequence value, which is also the sequence mask: 2^sequenceBits - 1 (12 bits: 4,095). */
    public long maxSequence() {
        return (1L << sequenceBits) - 1;
    }

    /** Datacenters the layout can tell apart: 2^datacenterBits. */
    public long datacenterCapacity() {
        return 1L << datacenterBits;
    }

    /** Workers per datacenter: 2^workerBits (10 bits: 1,024). */
    public long workerCapacity() {
        return 1L << workerBits;
    }

    /** IDs one worker can mint in one tick: 2^sequenceBits (12 bits: 4,096). */
    public long idsPerTick() {
        return 1L << sequenceBits;
    }

    /** IDs one worker can mint per second: idsPerTick * 1000 / tickMillis (snowflake: 4,096,000). */
    public double idsPerSecondPerWorker() {
        return idsPerTick() * 1000.0 / tickMillis;
    }

    /** Length of one tick. */
    public Duration tickLength() {
        return Duration.ofMillis(tickMillis);
    }

    /** The epoch as an instant. */
    public Instant epoch() {
        return Instant.ofEpochMilli(epochMillis);
    }

    /** Years from the epoch until the tick field overflows: 2^tickBits * tickMillis (snowflake: 69.7). */
    public double lifetimeYears() {
        return (maxTick() + 1) * (double) tickMillis / MILLIS_PER_YEAR;
    }

    /** The first instant the tick field cannot hold: epoch + 2^tickBits ticks. */
    public Instant overflowInstant() {
        return Instant.ofEpochMilli(startMillisOf(maxTick())).plusMillis(tickMillis);
    }

    /** {@code T/D/W/S}, such as {@code 41/0/10/12}. */
    public String bits() {
        return tickBits + "/" + datacenterBits + "/" + workerBits + "/" + sequenceBits;
    }

    /** The preset name of this layout, or its {@code T/D/W/S} bits with tick length and epoch. */
    public String describe() {
        for (Map.Entry<String, BitLayout> preset : PRESETS.entrySet()) {
            if (preset.getValue().equals(this)) {
                return preset.getKey();
            }
        }
        return bits() + " " + tickMillis + " ms from " + epoch();
    }

    // ---- time ----

    /**
     * The tick that contains a wall-clock instant: floor((millis - epoch) / tickMillis). Negative
     * before the epoch; callers decide what a tick outside [0, maxTick] means.
     */
    public long tickAt(long epochMillis) {
        return Math.floorDiv(epochMillis - this.epochMillis, tickMillis);
    }

    /** The wall-clock millisecond a tick starts at: epoch + tick * tickMillis. */
    public long startMillisOf(long tick) {
        return epochMillis + tick * tickMillis;
    }

    // ---- composing and decoding ----

    /**
     * The ID of those parts.
     *
     * @throws IllegalArgumentException naming the part outside its field and the field's bound
     */
    public long compose(long tick, long datacenterId, long workerId, long sequence) {
        requireInRange("tick", tick, 0, maxTick());
        requireDatacenter(datacenterId);
        requireWorker(workerId);
        requireInRange("sequence", sequence, 0, maxSequence());
        return composeUnchecked(tick, nodeBits(datacenterId, workerId), sequence);
    }

    /** The datacenter and worker fields of an ID, in place: (dc << datacenterShift) | (worker << workerShift). */
    public long nodeBits(long datacenterId, long workerId) {
        requireDatacenter(datacenterId);
        requireWorker(workerId);
        return (datacenterId << datacenterShift()) | (workerId << workerShift());
    }

    /** The ID of a checked tick, node bits from {@link #nodeBits} and sequence: no validation, no allocation. */
    long composeUnchecked(long tick, long nodeBits, long sequence) {
        return (tick << tickShift()) | nodeBits | sequence;
    }

    /** @throws IllegalArgumentException unless 0 &lt;= datacenterId &lt;= maxDatacenterId */
    public void requireDatacenter(long datacenterId) {
        requireInRange("datacenterId", datacenterId, 0, maxDatacenterId());
    }

    /** @throws IllegalArgumentException unless 0 &lt;= workerId &lt;= maxWorkerId */
    public void requireWorker(long workerId) {
        requireInRange("workerId", workerId, 0, maxWorkerId());
    }

    /** The tick field of an ID. */
    public long tickOf(long id) {
        return id >>> tickShift();
    }

    /** The datacenter field of an ID. */
    public long datacenterOf(long id) {
        return (id >>> datacenterShift()) & maxDatacenterId();
    }

    /** The worker field of an ID. */
    public long workerOf(long id) {
        return (id >>> workerShift()) & maxWorkerId();
    }

    /** The sequence field of an ID. */
    public long sequenceOf(long id) {
        return id & maxSequence();
    }

    /**
     * The fields of an ID minted under this layout.
     *
     * @throws IllegalArgumentException if the ID is negative (bit 63 is never set)
     */
    public DecodedId decode(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must be in [0, " + Long.MAX_VALUE + "]: " + id);
        }
        final long tick = tickOf(id);
        return new DecodedId(id, Instant.ofEpochMilli(startMillisOf(tick)), tick,
                datacenterOf(id), workerOf(id), sequenceOf(id));
    }
}
