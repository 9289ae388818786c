package io.flakeproof.registry;

import io.flakeproof.generator.DriftPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a node leases its worker ID.
 *
 * @param cluster        the cluster name: nodes of one fleet share it, and its layout
 * @param datacenterId   the datacenter whose worker pool the node draws from
 * @param holder         this node's name on the records (host, pod); the lease adds a random nonce, so
 *                       the identity is unique per process start whatever is configured
 * @param window         how far ahead of its clock a renewal raises the ceiling: how long a node cut
 *                       off from ZooKeeper keeps minting (default 10 s)
 * @param offsetBound    the largest clock offset to ZooKeeper tolerated before minting is suspended (1 s)
 * @param retryDelay     pause before a failed acquisition is retried (500 ms)
 * @param startupTimeout how long {@link CuratorLease#start} waits for the first lease (30 s)
 * @param driftPolicy    the generators' clock-drift policy
 * @param clusterIdFile  where the node keeps the id of the cluster it joined (in its data directory), or
 *                       null to keep none (tests): every start is then a first start
 * @param newCluster     whether the registry may be adopted or re-created although this node joined
 *                       another cluster id before (the operator's {@code --new-cluster})
 */
public record LeaseSettings(String cluster, long datacenterId, String holder, Duration window,
        Duration offsetBound, Duration retryDelay, Duration startupTimeout, DriftPolicy driftPolicy,
        Path clusterIdFile, boolean newCluster) {

    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OFFSET_BOUND = Duration.ofSeconds(1);

    public LeaseSettings {
        new RegistryPaths(cluster);
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(offsetBound, "offsetBound");
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(driftPolicy, "driftPolicy");
    }

    /** Defaults for everything but the cluster, datacenter and holder. */
    public static LeaseSettings of(String cluster, long datacenterId, String holder) {
        return new LeaseSettings(cluster, datacenterId, holder, DEFAULT_WINDOW, DEFAULT_OFFSET_BOUND,
                Duration.ofMillis(500), Duration.ofSeconds(30), DriftPolicy.DEFAULT, null, false);
    }

    public LeaseSettings withWindow(Duration value) {
        return new LeaseSettings(cluster, datacenterId, holder, value, offsetBound, retryDelay, startupTimeout,
                driftPolicy, clusterIdFile, newCluster);
    }

    public LeaseSettings withRetryDelay(Duration value) {
        return new LeaseSettings(cluster, datacenterId, holder, window, offsetBound, value, startupTimeout,
                driftPolicy, clusterIdFile, newCluster);
    }

    public LeaseSettings withStartupTimeout(Duration value) {
        return new LeaseSettings(cluster, datacenterId, holder, window, offsetBound, retryDelay, value,
                driftPolicy, clusterIdFile, newCluster);
    }

    public LeaseSettings withDriftPolicy(DriftPolicy value) {
        return new LeaseSettings(cluster, datacenterId, holder, window, offsetBound, retryDelay, startupTimeout,
                value, clusterIdFile, newCluster);
    }

    public LeaseSettings withOffsetBound(Duration value) {
        return new LeaseSettings(cluster, datacenterId, holder, window, value, retryDelay, startupTimeout,
                driftPolicy, clusterIdFile, newCluster);
    }

    /** Keeps the joined cluster's id in {@code dataDir}, one file per cluster name. */
    public LeaseSettings withClusterIdIn(Path dataDir) {
        return new LeaseSettings(cluster, datacenterId, holder, window, offsetBound, retryDelay, startupTimeout,
                driftPolicy, dataDir.resolve("cluster-" + cluster + ".id"), newCluster);
    }

    public LeaseSettings withNewCluster(boolean value) {
        return new LeaseSettings(cluster, datacenterId, holder, window, offsetBound, retryDelay, startupTimeout,
                driftPolicy, clusterIdFile, value);
    }
}
