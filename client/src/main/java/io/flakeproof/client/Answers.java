package io.flakeproof.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the node's answers into values, checking everything the client relies on. A ranges answer
 * must hold exactly the IDs asked for, as positive, non-overlapping, increasing ranges that do not
 * overflow a long; otherwise it is a {@link MalformedAnswerException} and none of it is handed out.
 */
final class Answers {

    private Answers() {
    }

    /** A node's health as far as the client cares: its status and the fleet's layout. */
    record Health(NodeStatus status, FleetLayout layout) {
    }

    /** The ranges of a {@code POST /ids/ranges?count=requested} answer, as {first, count} pairs. */
    static long[] ranges(String body, long requested) {
        final Object ranges = member(object(Json.parse(body), "answer"), "ranges");
        if (!(ranges instanceof List<?> list) || list.isEmpty()) {
            throw new MalformedAnswerException("'ranges' must be a non-empty array: " + ranges);
        }
        final long[] pairs = new long[list.size() * 2];
        long total = 0;
        long nextFree = 0;
        for (int i = 0; i < list.size(); i++) {
            final Map<String, Object> range = object(list.get(i), "ranges[" + i + "]");
            final long first = integer(range, "first");
            final long count = integer(range, "count");
            if (first < nextFree || count < 1 || first > Long.MAX_VALUE - count) {
                throw new MalformedAnswerException(String.format(Locale.ROOT,
                        "ranges[%d] {first %d, count %d} must be positive, at least 1 long, after the previous range"
                                + " and below 2^63", i, first, count));
            }
            nextFree = first + count;
            total += count;
            pairs[2 * i] = first;
            pairs[2 * i + 1] = count;
        }
        if (total != requested) {
            throw new MalformedAnswerException("the ranges hold " + total + " IDs, not the " + requested + " asked for");
        }
        return pairs;
    }

    /** The {@code GET /health} answer: {@code status} and {@code layout {bits, tick_ms, epoch}}. */
    static Health health(String body) {
        final Map<String, Object> health = object(Json.parse(body), "answer");
        final Object status = member(health, "status");
        final NodeStatus parsed = switch (String.valueOf(status)) {
            case "ok" -> NodeStatus.OK;
            case "degraded" -> NodeStatus.DEGRADED;
            // A node warming up has just started and asks not to be sent traffic yet.
            case "unavailable", "warming" -> NodeStatus.UNAVAILABLE;
            default -> throw new MalformedAnswerException("'status' must be ok, degraded, warming or unavailable: "
                    + status);
        };
        final Map<String, Object> layout = object(member(health, "layout"), "layout");
        final Object bits = member(layout, "bits");
        final Object epoch = member(layout, "epoch");
        try {
            return new Health(parsed, FleetLayout.of(String.valueOf(bits), integer(layout, "tick_ms"),
                    Instant.parse(String.valueOf(epoch))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new MalformedAnswerException("not a layout: " + layout + " (" + e.getMessage() + ")");
        }
    }

    private static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new MalformedAnswerException(what + " must be a JSON object: " + value);
        }
        @SuppressWarnings("unchecked")
        final Map<String, Object> members = (Map<String, Object>) map;
        return members;
    }

    private static Object member(Map<String, Object> object, String name) {
        final Object value = object.get(name);
        if (value == null) {
            throw new MalformedAnswerException("missing '" + name + "' in " + object);
        }
        return value;
    }

    private static long integer(Map<String, Object> object, String name) {
        final Object value = member(object, name);
        if (!(value instanceof Long number)) {
            throw new MalformedAnswerException("'" + name + "' must be an integer: " + value);
        }
        return number;
    }
}
