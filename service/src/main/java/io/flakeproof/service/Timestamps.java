package io.flakeproof.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the node and the command line write instants: ISO-8601 in UTC with exactly three fraction digits. */
public final class Timestamps {

    /** Exactly three fraction digits, so that timestamps line up and sort as text. */
    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** {@code 2025-03-04T05:06:07.123Z}. */
    public static String isoMillis(Instant instant) {
        return MILLIS_UTC.format(instant);
    }
}
