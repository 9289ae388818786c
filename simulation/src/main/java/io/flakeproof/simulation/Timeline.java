package io.flakeproof.simulation;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What happened in one run, for a person: faults, grants, losses, ceilings and the two equal IDs,
 * each at its true time with the node's clock offset. Kept bounded; a campaign records it only when
 * it replays a counterexample.
 */
final class Timeline {

    /** One entry: true time, the node (-1: the ensemble), its clock offset, and what happened. */
    record Entry(long atNanos, int node, long offsetNanos, String what) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%10s  %-7s %-13s %s", millis(atNanos),
                    node < 0 ? "zk" : "node " + node, node < 0 ? "" : "clock " + signedMillis(offsetNanos), what);
        }
    }

    private static final int MAX_ENTRIES = 2000;

    private final boolean enabled;
    private final List<Entry> entries = new ArrayList<>();

    Timeline(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void add(long atNanos, int node, long offsetNanos, String what) {
        if (enabled && entries.size() < MAX_ENTRIES) {
            entries.add(new Entry(atNanos, node, offsetNanos, what));
        }
    }

    List<Entry> entries() {
        return entries;
    }

    /** Writes {@code entries} as the JSON array {@code name}. */
    static void writeJson(JsonGenerator g, String name, List<Entry> entries) throws IOException {
        g.writeArrayFieldStart(name);
        for (Entry e : entries) {
            g.writeStartObject();
            g.writeNumberField("at_ms", e.atNanos() / 1e6);
            g.writeNumberField("node", e.node());
            g.writeNumberField("clock_offset_ms", e.offsetNanos() / 1e6);
            g.writeStringField("what", e.what());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static String millis(long nanos) {
        if (Math.abs(nanos) >= 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static String signedMillis(long nanos) {
        return (nanos >= 0 ? "+" : "") + millis(nanos);
    }
}
