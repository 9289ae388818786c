package io.flakeproof.registry;

import io.flakeproof.generator.BitLayout;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record at {@code /flakeproof/<cluster>/layout}: the layout and epoch every node of the fleet
 * must use, and the cluster id that tells this ensemble's records from a wiped or fresh one's.
 * Written once by the first node; a node whose layout differs refuses to start, since two layouts
 * in one fleet can collide.
 *
 * @param layout    the fleet's bit layout, tick length and epoch
 * @param clusterId a random id chosen when the record was created
 */
public record FleetLayout(BitLayout layout, String clusterId) {

    private static final Pattern JSON = Pattern.compile("\\{\"bits\":\"(\\d+/\\d+/\\d+/\\d+)\",\"tickMillis\":(\\d+),"
            + "\"epochMillis\":(-?\\d+),\"clusterId\":\"([A-Za-z0-9-]{1,64})\"}");

    public byte[] toBytes() {
        return ("{\"bits\":\"" + layout.bits() + "\",\"tickMillis\":" + layout.tickMillis() + ",\"epochMillis\":"
                + layout.epochMillis() + ",\"clusterId\":\"" + clusterId + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalStateException quoting the bytes when they are not a layout record */
    public static FleetLayout fromBytes(byte[] bytes) {
        final String text = new String(bytes, StandardCharsets.UTF_8);
        final Matcher m = JSON.matcher(text);
        if (!m.matches()) {
            throw new IllegalStateException("the cluster's layout record is not readable: '" + text + "'");
        }
        return new FleetLayout(BitLayout.parse(m.group(1), Long.parseLong(m.group(2)), m.group(3)), m.group(4));
    }
}
