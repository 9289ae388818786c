package io.flakeproof.client;

import java.net.URI;
import java.util.List;

/**
 * A snapshot of a client's counters, all since it was built. Counters are plain and cumulative: a
 * monitoring system takes differences.
 *
 * @param bufferedIds          IDs prefetched and not handed out yet (the buffer depth)
 * @param idsReceived          IDs received in well-formed answers
 * @param idsDroppedStale      IDs dropped unused because their range outlived the maximum age
 * @param requests             range requests sent, hedges and failovers included
 * @param refills              range answers accepted
 * @param failedRequests       range requests that failed: no connection, timeout, error status or malformed answer
 * @param failovers            failed requests sent again to another node; not one that fails while
 *                             another request of its refill (a hedge) is out, which already asks another node
 * @param hedges               second requests sent because the first was late
 * @param circuitOpenings      times a node's circuit breaker opened
 * @param refillLatencyNanos   total time from sending a request to accepting its answer
 * @param refillLatencyMaxNanos the longest of those
 * @param waits                calls that found the buffer empty and waited
 * @param waitNanos            total time those calls waited
 * @param nodes                each node's state, in the configured order
 */
public record ClientStats(
        long bufferedIds,
        long idsReceived,
        long idsDroppedStale,
        long requests,
        long refills,
        long failedRequests,
        long failovers,
        long hedges,
        long circuitOpenings,
        long refillLatencyNanos,
        long refillLatencyMaxNanos,
        long waits,
        long waitNanos,
        List<NodeState> nodes) {

    public ClientStats {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node as the client sees it.
     *
     * @param uri         the node
     * @param health      what its last {@code /health} said: ok, unknown, degraded or unavailable
     * @param circuitOpen whether its circuit breaker keeps refills away from it now
     * @param lastFailure its last failure, or null if it has not failed
     */
    public record NodeState(URI uri, String health, boolean circuitOpen, String lastFailure) {
    }
}
