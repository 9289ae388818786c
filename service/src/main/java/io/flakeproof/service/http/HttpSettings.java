package io.flakeproof.service.http;

import io.flakeproof.cli.Bounds;
import io.flakeproof.generator.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How the node's HTTP layer listens, what it accepts, and what one client may hold of it.
 *
 * @param bind            the address to listen on, such as {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
 * @param port            the TCP port, in [0, 65535]; 0 picks any free port ({@link HttpNodeServer#port()} says which)
 * @param maxCount        the largest {@code count} one request may ask for, in [1, 1,000,000]: at 20 bytes per ID
 *                        in JSON a response stays under 20 MB, and a batch under about a quarter of a second
 * @param maxRequestBytes the largest request body accepted, in [0, 16 MiB]; larger requests get a 413.
 *                        No route reads a body, so this only bounds what a client can make the node buffer.
 * @param maxConnections  connections open at once, in [1, 1,000,000]; one more is answered 503 and closed
 * @param maxPipelined    requests of one connection received and not yet answered, in [1, 1024], past which the
 *                        node stops reading that connection until an answer has been written
 * @param requestTimeout  how long a request may take to arrive whole once its first byte has, in [1 ms, 1 h];
 *                        past it the node answers 408 and closes (slow headers, a body shorter than its length)
 * @param idleTimeout     how long a connection may go with nothing read and nothing written, in [1 ms, 24 h]; past
 *                        it the node closes it (an idle keep-alive connection, or a client that stopped reading)
 * @param maxAnswerBytes  bytes of ID answers the whole node holds until they are written, in [1 MiB, 64 GiB];
 *                        a request for IDs whose answer would take it over is answered 503 without minting
 */
public record HttpSettings(String bind, int port, int maxCount, int maxRequestBytes, int maxConnections,
        int maxPipelined, Duration requestTimeout, Duration idleTimeout, long maxAnswerBytes) {

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

    /** 1,024 connections: well under a default limit of open files once raised, as the JVM does. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    /** The bound on {@link #maxConnections()}. */
    public static final int MAX_CONNECTIONS_LIMIT = 1_000_000;

    /** 16 requests: pipelining clients keep the node busy, and a connection queues at most this many. */
    public static final int DEFAULT_MAX_PIPELINED = 16;

    /** The bound on {@link #maxPipelined()}. */
    public static final int MAX_PIPELINED_LIMIT = 1024;

    /** 10 s for a request to arrive whole. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** 60 s with nothing read or written. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    /** 256 MiB: over a hundred of the largest default answers (2.2 MB each) waiting for slow clients. */
    public static final long DEFAULT_MAX_ANSWER_BYTES = 256L * 1024 * 1024;

    /** The bounds on {@link #maxAnswerBytes()}: 1 MiB to 64 GiB. */
    public static final long MIN_ANSWER_BYTES_LIMIT = 1024L * 1024;

    public static final long MAX_ANSWER_BYTES_LIMIT = 64L * 1024 * 1024 * 1024;

    /**
     * @throws IllegalArgumentException naming the value that is out of range and its bound
     */
    public HttpSettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (bind.isBlank()) {
            throw new IllegalArgumentException("bind must be an address such as 127.0.0.1: '" + bind + "'");
        }
        Bounds.requireIn("port", port, 0, 65_535);
        Bounds.requireIn("maxCount", maxCount, 1, MAX_COUNT_LIMIT);
        Bounds.requireIn("maxRequestBytes", maxRequestBytes, 0, MAX_REQUEST_BYTES_LIMIT);
        Bounds.requireIn("maxConnections", maxConnections, 1, MAX_CONNECTIONS_LIMIT);
        Bounds.requireIn("maxPipelined", maxPipelined, 1, MAX_PIPELINED_LIMIT);
        Bounds.requireIn("requestTimeout", requestTimeout, Duration.ofMillis(1), Duration.ofHours(1), Durations::format);
        Bounds.requireIn("idleTimeout", idleTimeout, Duration.ofMillis(1), Duration.ofHours(24), Durations::format);
        Bounds.requireIn("maxAnswerBytes", maxAnswerBytes, MIN_ANSWER_BYTES_LIMIT, MAX_ANSWER_BYTES_LIMIT);
    }

    /** What a request may be, with the default bounds on what one client may hold. */
    public HttpSettings(String bind, int port, int maxCount, int maxRequestBytes) {
        this(bind, port, maxCount, maxRequestBytes, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_PIPELINED,
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_ANSWER_BYTES);
    }

    /** 127.0.0.1:8080, at most 100,000 IDs a request, 64 KiB request bodies, and the default client bounds. */
    public static HttpSettings defaults() {
        return new HttpSettings(DEFAULT_BIND, DEFAULT_PORT, DEFAULT_MAX_COUNT, DEFAULT_MAX_REQUEST_BYTES);
    }

    /** These settings with other bounds on what one client may hold. */
    public HttpSettings withClientBounds(int maxConnections, int maxPipelined, Duration requestTimeout,
            Duration idleTimeout) {
        return new HttpSettings(bind, port, maxCount, maxRequestBytes, maxConnections, maxPipelined, requestTimeout,
                idleTimeout, maxAnswerBytes);
    }

    /** These settings with another bound on the answers the whole node holds. */
    public HttpSettings withMaxAnswerBytes(long maxAnswerBytes) {
        return new HttpSettings(bind, port, maxCount, maxRequestBytes, maxConnections, maxPipelined, requestTimeout,
                idleTimeout, maxAnswerBytes);
    }
}
