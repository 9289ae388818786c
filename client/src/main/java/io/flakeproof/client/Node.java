package io.flakeproof.client;

import java.net.URI;
import java.util.Locale;

/**
 * One node of the client's list and what the client knows of it: its health and its circuit breaker.
 * Not thread-safe: every access holds the client's lock.
 *
 * <p>The breaker: {@code threshold} failures in a row open it for {@code openNanos}; then one request,
 * the probe, may try the node again (half open), and no other is admitted until it is answered. A
 * success closes the breaker; the probe's failure opens it for another {@code openNanos}. Answers to
 * requests sent before it opened change nothing but the reason, except that a success closes it too.
 */
final class Node {

    final URI uri;
    final URI rangesBase;
    final URI health;

    private NodeStatus status = NodeStatus.UNKNOWN;
    private int failuresInARow;
    private long openUntilNanos;
    /** Whether the half-open breaker's one request is out; it was sent at or after openUntilNanos. */
    private boolean probing;
    private String lastFailure;
    private boolean healthInFlight;
    private long nextHealthNanos;

    Node(URI uri) {
        this.uri = uri;
        final String base = uri.toString().endsWith("/") ? uri.toString() : uri + "/";
        this.rangesBase = URI.create(base + "ids/ranges");
        this.health = URI.create(base + "health");
    }

    /** Whether the breaker lets a request through at {@code now}: closed, or half open with no probe out. */
    boolean admits(long now, int threshold) {
        return failuresInARow < threshold || !probing && now - openUntilNanos >= 0;
    }

    /** Records a request the breaker admitted as sent; on a half-open breaker it is the probe. */
    void sent(int threshold) {
        if (failuresInARow >= threshold) {
            probing = true;
        }
    }

    void succeeded() {
        failuresInARow = 0;
        probing = false;
    }

    /**
     * Records the failure of a request sent at {@code sentNanos}; true when it opened the breaker. On an
     * open breaker only the probe's failure counts (it opens it again); one of a request sent before it
     * opened changes nothing but the reason.
     */
    boolean failed(String reason, long sentNanos, long now, int threshold, long openNanos) {
        lastFailure = reason;
        if (failuresInARow >= threshold && (!probing || sentNanos - openUntilNanos < 0)) {
            return false; // open, and not the probe's answer: only the probe was sent at or after openUntilNanos
        }
        failuresInARow++;
        if (failuresInARow >= threshold) {
            probing = false;
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
        if (probing) {
            return String.format(Locale.ROOT,
                    "circuit half open, one request trying it after %d failures in a row, last: %s", failuresInARow, last);
        }
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
