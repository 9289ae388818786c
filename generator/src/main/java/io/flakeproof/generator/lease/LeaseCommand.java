package io.flakeproof.generator.lease;

/**
 * What {@link LeaseCore} asks its shell to do: run a store operation, or tell the node that a lease
 * was granted, lost or released, or could not be had.
 */
public sealed interface LeaseCommand {

    /** A store operation; {@link #sendTo} runs it on a {@link LeaseStore}. */
    sealed interface StoreOp extends LeaseCommand {
        /** The tag its result comes back with. */
        long op();

        /** Starts the operation on {@code store}. */
        void sendTo(LeaseStore store);
    }

    record ListWorkers(long op, long datacenterId) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.listWorkers(op, datacenterId);
        }
    }

    record Claim(long op, long datacenterId, long workerId, int expectedVersion, WorkerRecord record) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.claim(op, datacenterId, workerId, expectedVersion, record);
        }
    }

    record Write(long op, long datacenterId, long workerId, int expectedVersion, WorkerRecord record) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.write(op, datacenterId, workerId, expectedVersion, record);
        }
    }

    record Read(long op, long datacenterId, long workerId) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.read(op, datacenterId, workerId);
        }
    }

    record DeleteOwner(long op, long datacenterId, long workerId) implements StoreOp {
        @Override
        public void sendTo(LeaseStore store) {
            store.deleteOwner(op, datacenterId, workerId);
        }
    }

    /** A new lease term: start a generator on {@code term.lease()}. */
    record Granted(LeaseTerm term) implements LeaseCommand {
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

    /** An acquisition failed; the core tries again at its next wake-up. */
    record AcquireFailed(String reason) implements LeaseCommand {
    }
}
