package io.flakeproof.client;

import java.net.URI;
import java.util.Locale;

/**
 * One node of the client's list and what the client knows of it: its health and its circuit breaker.
 * Not thread-safe: every access holds the client's lock.
 *
 * <p>The breaker: {@code threshold} failures in a row open it for {@code openNanos}; then one request
 * may try the node again (half open): a success closes the breaker, a failure opens it for another
 * {@code openNanos}.
 */
final class Node {

    final URI uri;
    final URI rangesBase;
    final URI health;

    private NodeStatus status = NodeStatus.UNKNOWN;
    private int failuresInARow;
    private long openUntilNanos;
    private String lastFailure;
    private boolean healthInFlight;
    private long nextHealthNanos;

    Node(URI uri) {
        this.uri = uri;
        final String base = uri.toString().endsWith("/") ? uri.toString() : uri + "/";
        this.rangesBase = URI.create(base + "ids/ranges");
        this.health = URI.create(base + "health");
    }

    /** Whether the breaker lets a request through at {@code now}. */
    boolean admits(long now, int threshold) {
        return failuresInARow < threshold || now - openUntilNanos >= 0;
    }

    void succeeded() {
        failuresInARow = 0;
    }

    /**
     * Records a failure; true when it opened the breaker. A failure while the breaker is already open (a
     * request sent before it opened) changes nothing but the reason.
     */
    boolean failed(String reason, long now, int threshold, long openNanos) {
        lastFailure = reason;
        if (!admits(now, threshold)) {
            return false;
        }
        failuresInARow++;
        if (failuresInARow >= threshold) {
            openUntilNanos = now + openNanos;
            return true;
        }
        return false;
    }

    NodeStatus status() {
        return status;
    }

    void status(NodeStatus status) {
        this.status = status;
    }

    /** Whether a health check is due at {@code now}; if so, marks one in flight. */
    boolean startHealthCheck(long now, long intervalNanos) {
        if (healthInFlight || now - nextHealthNanos < 0) {
            return false;
        }
        healthInFlight = true;
        nextHealthNanos = now + intervalNanos;
        return true;
    }

    void healthCheckDone() {
        healthInFlight = false;
    }

    /** Why this node gave no IDs, for {@link FlakeproofUnavailableException}. */
    String whyNot(long now, int threshold) {
        final String last = lastFailure == null ? "no failure seen" : lastFailure;
        if (!admits(now, threshold)) {
            return String.format(Locale.ROOT, "circuit open for %d ms more after %d failures in a row, last: %s",
                    Math.max(1, (openUntilNanos - now) / 1_000_000), failuresInARow, last);
        }
        return "health " + status.name().toLowerCase(Locale.ROOT) + ", last: " + last;
    }

    ClientStats.NodeState snapshot(long now, int threshold) {
        return new ClientStats.NodeState(uri, status.name().toLowerCase(Locale.ROOT), !admits(now, threshold), lastFailure);
    }
}
