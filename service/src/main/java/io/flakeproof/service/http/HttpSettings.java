package io.flakeproof.service.http;

import java.util.Objects;

/**
 * How the node's HTTP layer listens and what it accepts.
 *
 * @param bind            the address to listen on, such as {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
 * @param port            the TCP port, in [0, 65535]; 0 picks any free port ({@link HttpNodeServer#port()} says which)
 * @param maxCount        the largest {@code count} one request may ask for, in [1, 1,000,000]: at 20 bytes per ID
 *                        in JSON a response stays under 20 MB, and a batch under about a quarter of a second
 * @param maxRequestBytes the largest request body accepted, in [0, 16 MiB]; larger requests get a 413.
 *                        No route reads a body, so this only bounds what a client can make the node buffer.
 */
public record HttpSettings(String bind, int port, int maxCount, int maxRequestBytes) {

    /** Loopback only: exposing the node is a deliberate choice. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    public static final int DEFAULT_PORT = 8080;

    /** 100,000 IDs: about 2 MB of JSON and 25 ms of minting. */
    public static final int DEFAULT_MAX_COUNT = 100_000;

    /** The bound on {@link #maxCount()}: 1,000,000 IDs. */
    public static final int MAX_COUNT_LIMIT = 1_000_000;

    /** 64 KiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

    /** The bound on {@link #maxRequestBytes()}: 16 MiB. */
    public static final int MAX_REQUEST_BYTES_LIMIT = 16 * 1024 * 1024;

    /**
     * @throws IllegalArgumentException naming the value that is out of range and its bound
     */
    public HttpSettings {
        Objects.requireNonNull(bind, "bind");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind must be an address such as 127.0.0.1: '" + bind + "'");
        }
        requireInRange("port", port, 0, 65_535);
        requireInRange("maxCount", maxCount, 1, MAX_COUNT_LIMIT);
        requireInRange("maxRequestBytes", maxRequestBytes, 0, MAX_REQUEST_BYTES_LIMIT);
    }

    /** 127.0.0.1:8080, at most 100,000 IDs a request, 64 KiB request bodies. */
    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_MAX_COUNT, DEFAULT_MAX_REQUEST_BYTES);
    }

    private static void requireInRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
