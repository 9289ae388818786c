package io.flakeproof.registry;

/**
 * A node cannot hold a worker lease: ZooKeeper unreachable, the cluster's layout differs from the
 * node's, the worker pool is exhausted, or no lease was granted in time. The message says which.
 */
public final class LeaseUnavailableException extends RuntimeException {

    public LeaseUnavailableException(String message) {
        super(message);
    }
}
