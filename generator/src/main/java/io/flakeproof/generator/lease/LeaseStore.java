package io.flakeproof.generator.lease;

/**
 * The store operations the lease core needs: the port between the sans-IO {@link LeaseCore} and a
 * coordination service. The Curator shell implements it on ZooKeeper, the simulator on its simulated
 * ZooKeeper. Every operation is asynchronous: it returns at once, and its result is handed to
 * {@link LeaseCore#onResult} later, on the core's single thread, tagged with the same {@code op}.
 *
 * <p>What an implementation must guarantee (ZooKeeper does):
 * <ul>
 *   <li>writes are linearizable and durable, and a record's version grows by one with every write;</li>
 *   <li>a versioned write fails with {@link StoreResult.Kind#CONFLICT} unless the record is at that version;</li>
 *   <li>{@link #claim} is one atomic transaction;</li>
 *   <li>owners are ephemeral: they vanish when the session that created them ends;</li>
 *   <li>a result it cannot vouch for (connection lost in flight) is {@link StoreResult.Kind#UNKNOWN},
 *       never a guess;</li>
 *   <li>{@link #read} reflects every write acknowledged before it was issued (sync, then read).</li>
 * </ul>
 */
public interface LeaseStore {

    /** The expected version that means "the record must not exist yet": {@link #claim} creates it. */
    int NEW_RECORD = -1;

    /** Which worker IDs of a datacenter have a record, and which of those have an owner: a {@link StoreResult.Listed}. */
    void listWorkers(long op, long datacenterId);

    /**
     * One transaction: write the record at {@code expectedVersion} (create it when {@link #NEW_RECORD})
     * and create the worker's ephemeral owner. A {@link StoreResult.Written} with the record's new version
     * and modification time; {@code CONFLICT} when the version moved, the record exists, or an owner exists.
     */
    void claim(long op, long datacenterId, long workerId, int expectedVersion, WorkerRecord record);

    /** A versioned write of the record: a {@link StoreResult.Written}; {@code CONFLICT} when the version moved or the record is gone. */
    void write(long op, long datacenterId, long workerId, int expectedVersion, WorkerRecord record);

    /** A fresh read of the record: a {@link StoreResult.Read}. */
    void read(long op, long datacenterId, long workerId);

    /** Deletes the worker's owner if this session holds it: a {@link StoreResult.Written} or a failure. */
    void deleteOwner(long op, long datacenterId, long workerId);
}
