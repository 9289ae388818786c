package io.flakeproof.generator.lease;

import io.flakeproof.generator.BitLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster's record in the registry ({@code /flakeproof/<cluster>/layout}): the layout and epoch
 * every node of the fleet must use, the cluster id that tells this registry's records from a wiped,
 * rolled-back or different one's, and the floor below which no new worker record starts.
 *
 * @param layout    the fleet's bit layout, tick length and epoch
 * @param clusterId a random id chosen when the record was created
 * @param floorTick every worker record created in this cluster starts with this ceiling: 0 for a new
 *                  fleet; for a registry re-created on purpose, past every tick a holder of the old
 *                  registry could still mint
 */
public record ClusterRecord(BitLayout layout, String clusterId, long floorTick) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final Pattern JSON = Pattern.compile("\\{\"bits\":\"(\\d+/\\d+/\\d+/\\d+)\",\"tickMillis\":(\\d+),"
            + "\"epochMillis\":(-?\\d+),\"clusterId\":\"([A-Za-z0-9-]{1,64})\"(?:,\"floorTick\":(\\d+))?}");

    public ClusterRecord {
        Objects.requireNonNull(layout, "layout");
        if (clusterId == null || !ID.matcher(clusterId).matches()) {
            throw new IllegalArgumentException("cluster id must be 1 to 64 of [A-Za-z0-9-]: '" + clusterId + "'");
        }
        if (floorTick < 0) {
            throw new IllegalArgumentException("floorTick must be at least 0: " + floorTick);
        }
    }

    /** A new cluster with a random id drawn from {@code random}. */
    public static ClusterRecord create(BitLayout layout, RandomGenerator random, long floorTick) {
        return new ClusterRecord(layout, String.format("%016x-%016x", random.nextLong(), random.nextLong()), floorTick);
    }

    public byte[] toBytes() {
        return ("{\"bits\":\"" + layout.bits() + "\",\"tickMillis\":" + layout.tickMillis() + ",\"epochMillis\":"
                + layout.epochMillis() + ",\"clusterId\":\"" + clusterId + "\",\"floorTick\":" + floorTick + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads what {@link #toBytes()} wrote (a record from before cluster floors reads as floor 0).
     *
     * @throws IllegalArgumentException quoting the bytes when they are not a cluster record
     */
    public static ClusterRecord fromBytes(byte[] bytes) {
        final String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        final Matcher m = JSON.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("the cluster's layout record is not readable: '" + text + "'");
        }
        return new ClusterRecord(BitLayout.parse(m.group(1), Long.parseLong(m.group(2)), m.group(3)), m.group(4),
                m.group(5) == null ? 0 : Long.parseLong(m.group(5)));
    }

    /** {@code 41/0/10/12 with 1 ms ticks from 2025-01-01T00:00:00Z}. */
    static String describe(BitLayout layout) {
        return layout.bits() + " with " + layout.tickMillis() + " ms ticks from " + layout.epoch();
    }
}
