package io.flakeproof.generator.lease;

/**
 * The store operations the lease core needs: the port between the sans-IO {@link LeaseCore} and a
 * coordination service. The Curator shell implements it on ZooKeeper, the tests in memory, the
 * simulator on its simulated ZooKeeper; one contract test runs against each. Every operation is
 * asynchronous: it returns at once, and its result is handed to {@link LeaseCore#onResult} later, on
 * the core's single thread, tagged with the same {@code op}.
 *
 * <p>What an implementation must guarantee (ZooKeeper does):
 * <ul>
 *   <li>writes are linearizable and durable, and a record's version grows by one with every write;</li>
 *   <li>a versioned write fails with {@link StoreResult.Kind#CONFLICT} unless the record is at that
 *       version, and has no effect then;</li>
 *   <li>{@link #claim} and {@link #deleteOwner} are each one atomic transaction;</li>
 *   <li>owners are ephemeral: they vanish when the session that created them ends;</li>
 *   <li>a result it cannot vouch for (connection lost in flight, session expired in flight) is
 *       {@link StoreResult.Kind#UNKNOWN}, never a guess; a result of {@code FAILED} means no effect;</li>
 *   <li>{@link #read} and {@link #readCluster} reflect every write acknowledged before they were
 *       issued (sync, then read).</li>
 * </ul>
 *
 * <p>Exactly what comes back, per operation, is stated on each method; in particular which results
 * carry a modification time, since only those can estimate the clock offset.
 *
 * <p><b>Fenced by the cluster.</b> Every write ({@link #createRecord}, {@link #claim}, {@link #write},
 * {@link #deleteOwner}) names the cluster id the core joined and, in the same transaction, fails with
 * {@code CONFLICT} and no effect unless that cluster still exists in the registry. A registry wiped and
 * re-created under the same name starts its records at version 0 again; without this, an old holder's
 * versioned write could land on the new cluster's record of the same version.
 */
public interface LeaseStore {

    /**
     * Reads the cluster's record: a {@link StoreResult.ClusterRead}, with {@code record == null} when the
     * registry has none. A record that cannot be parsed is {@code FAILED}.
     */
    void readCluster(long op);

    /**
     * Creates the cluster's record: a {@link StoreResult.Written} {@code OK} (version 0, modification time
     * 0), or {@code CONFLICT} when one exists. Creates the folders it needs.
     */
    void createCluster(long op, ClusterRecord record);

    /**
     * Which worker IDs of a datacenter have a record, and which of those have an owner: a
     * {@link StoreResult.Listed}. A datacenter with no folder yet lists empty.
     */
    void listWorkers(long op, long datacenterId);

    /**
     * Creates a worker's record, with no owner: a {@link StoreResult.Written} {@code OK} with version 0
     * and modification time 0 (ZooKeeper's {@code create} returns no {@code Stat}), or {@code CONFLICT}
     * when the record exists.
     */
    void createRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record);

    /**
     * One transaction: a versioned write of the record at {@code expectedVersion} and the creation of the
     * worker's ephemeral owner. A {@link StoreResult.Written} {@code OK} with the record's new version and
     * its modification time (always present); {@code CONFLICT} when the version moved, the record is
     * gone, or an owner exists.
     */
    void claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion, WorkerRecord record);

    /**
     * A versioned write of the record: a {@link StoreResult.Written} {@code OK} with the new version and
     * its modification time (always present); {@code CONFLICT} when the version moved or the record is gone.
     */
    void write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion, WorkerRecord record);

    /**
     * A fresh read of the record: a {@link StoreResult.Read} with its version and the modification time of
     * its last write (not of this read: no clock offset can be taken from it), or {@code record == null}
     * when there is none.
     */
    void read(long op, long datacenterId, long workerId);

    /**
     * One transaction: deletes the worker's owner if the record is at {@code recordVersion}. A
     * {@link StoreResult.Written} {@code OK} (version {@code recordVersion}, modification time 0), or
     * {@code CONFLICT} when the version moved or there is no owner: the owner of another holder, who
     * claimed since, is never deleted.
     */
    void deleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion);
}
