package io.flakeproof.generator.lease;

/**
 * What {@link LeaseCore} and {@link LeaseHolder} ask their shell to do: run a store operation, or tell
 * the node that a cluster was joined, a lease was granted, put in service, lost or released, or could
 * not be had.
 */
public sealed interface LeaseCommand {

    /** A store operation; {@link #sendTo} runs it on a {@link LeaseStore}. */
    sealed interface StoreOp extends LeaseCommand {
        /** The tag its result comes back with. */
        long op();

        /** Starts the operation on {@code store}. */
        void sendTo(LeaseStore store);
    }

    record ReadCluster(long op) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.readCluster(op);
        }
    }

    record CreateCluster(long op, ClusterRecord record) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.createCluster(op, record);
        }
    }

    record ListWorkers(long op, long datacenterId) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.listWorkers(op, datacenterId);
        }
    }

    record CreateRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record)
            implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.createRecord(op, clusterId, datacenterId, workerId, record);
        }
    }

    record Claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion, WorkerRecord record)
            implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.claim(op, clusterId, datacenterId, workerId, expectedVersion, record);
        }
    }

    record Write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion, WorkerRecord record)
            implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.write(op, clusterId, datacenterId, workerId, expectedVersion, record);
        }
    }

    record Read(long op, long datacenterId, long workerId) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.read(op, datacenterId, workerId);
        }
    }

    record DeleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.deleteOwner(op, clusterId, datacenterId, workerId, recordVersion);
        }
    }

    /**
     * The node is a member of this cluster: the shell keeps its id (in the data directory) so that a
     * later start can tell its registry from a wiped or different one.
     */
    record ClusterJoined(ClusterRecord record, boolean created) implements LeaseCommand {
    }

    /** A new lease term; {@link LeaseHolder} puts a generator on it once it can mint. */
    record Granted(LeaseTerm term) implements LeaseCommand {
    }

    /** A term's generator went into service: from now on it is the one that mints. */
    record InService(LeaseTerm term) implements LeaseCommand {
    }

    /**
     * The term will not be renewed again: its generator may go on minting up to the last acknowledged
     * ceiling and then refuses. The core is acquiring a new term meanwhile.
     */
    record Lost(LeaseTerm term, String reason) implements LeaseCommand {
    }

    /** A graceful release finished: the record's ceiling is the last minted tick and the owner is gone. */
    record Released(LeaseTerm term, long ceilingTick, boolean recordLowered) implements LeaseCommand {
    }

    /** Why an acquisition failed. */
    enum Failure {
        /** The registry's cluster record is missing, another cluster's, or of another layout. */
        CLUSTER_REFUSED,
        /** Every worker of the datacenter is held. */
        POOL_EXHAUSTED,
        /** Claims kept conflicting with other holders'. */
        CONFLICTS,
        /** The store failed or could not be reached. */
        STORE
    }

    /** An acquisition failed; the core tries again at its next wake-up. */
    record AcquireFailed(Failure failure, String reason) implements LeaseCommand {
    }
}
