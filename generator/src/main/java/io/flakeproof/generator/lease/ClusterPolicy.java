package io.flakeproof.generator.lease;

import io.flakeproof.generator.BitLayout;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Which cluster a node may join, and when it may create one (DESIGN.md, "Cluster identity"). A node
 * keeps the id of the cluster it joined; every acquisition first reads the registry's cluster record
 * and compares. A missing record or another id means a wiped, rolled-back or different registry: the
 * node refuses. A cluster is created only on a node's very first start (no stored id), or when the
 * operator says the registry was re-created on purpose ({@code newCluster}); a re-created cluster
 * starts every worker's floor past what any holder of the old registry could still mint.
 *
 * @param name       the cluster's name, for messages
 * @param storedId   the id this node joined before (kept in its data directory), or null on a first start
 * @param newCluster whether the operator allows creating the cluster anew, or adopting the registry's
 */
public record ClusterPolicy(String name, String storedId, boolean newCluster) {

    public ClusterPolicy {
        Objects.requireNonNull(name, "name");
    }

    /** A node's very first start: it joins the registry's cluster, or creates one with floor 0. */
    public static ClusterPolicy firstStart(String name) {
        return new ClusterPolicy(name, null, false);
    }

    /** What to do with the registry's cluster record. */
    sealed interface Decision {
        /** The record matches, or is adopted: join it. */
        record Join(ClusterRecord record) implements Decision {
        }

        /** There is none and this node may create it: write this one. */
        record Create(ClusterRecord record) implements Decision {
        }

        /** Refuse, saying why and what to do. */
        record Refuse(String reason) implements Decision {
        }
    }

    /**
     * The decision on reading {@code found} (null: the registry has no record of this cluster).
     *
     * @param joined            the record this node already joined in this process, or null
     * @param recreateFloorTick the floor for a cluster re-created on purpose: the creating node's clock
     *                          plus the lease window, twice the offset bound and a second, in ticks
     */
    Decision decide(BitLayout layout, ClusterRecord found, ClusterRecord joined, RandomGenerator random,
            long recreateFloorTick) {
        final String expected = joined != null ? joined.clusterId() : storedId;
        if (found != null && !found.layout().equals(layout)) {
            return new Decision.Refuse("cluster '" + name + "' uses layout " + ClusterRecord.describe(found.layout())
                    + "; this node is configured with " + ClusterRecord.describe(layout)
                    + ": two layouts in one fleet can collide, so this node refuses to start");
        }
        if (found != null && (found.clusterId().equals(expected) || expected == null
                || newCluster && joined == null)) {
            return new Decision.Join(found);
        }
        if (found == null && joined == null && (expected == null || newCluster)) {
            return new Decision.Create(ClusterRecord.create(layout, random, newCluster ? recreateFloorTick : 0));
        }
        final String how = found == null ? "the registry has no record of cluster '" + name + "'"
                : "the registry's cluster '" + name + "' has id " + found.clusterId();
        return new Decision.Refuse(how + ", but this node joined cluster id " + expected
                + ": the registry was wiped, rolled back or is another one, and its worker records may be behind "
                + "IDs already minted, so this node refuses to mint. " + (found == null
                        ? "If the registry was re-created on purpose, start the node with --new-cluster" + (joined != null
                                ? "" : " (its workers then start past anything the old registry's holders could still mint)")
                        : "If this node is meant to join that cluster, start it with --new-cluster: it then adopts "
                                + "the registry's record as it is, and its worker records alone give the floors (nothing "
                                + "minted under cluster id " + expected + " is taken into account)"));
    }
}
