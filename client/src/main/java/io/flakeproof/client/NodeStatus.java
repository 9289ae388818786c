package io.flakeproof.client;

/** What the client last learned of a node from its {@code GET /health}, best first. */
enum NodeStatus {
    /** Healthy: preferred. */
    OK,
    /** Not asked yet (or not since it was added): tried after the healthy nodes. */
    UNKNOWN,
    /** Serving, but it asks load balancers to prefer others: tried only after OK and UNKNOWN nodes. */
    DEGRADED,
    /** Cannot mint, or did not answer its health check: tried last. */
    UNAVAILABLE
}
