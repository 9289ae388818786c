package io.flakeproof.registry;

import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * A {@link LeaseStore} between the lease shell and ZooKeeper that injects faults: an operation
 * withheld (never sent, answered UNKNOWN: dropped in flight), a result replaced (an acknowledgement
 * lost), or a result held back until {@link #deliverHeld()} (a slow reply).
 */
final class FaultyLeaseStore implements LeaseStore {

    /** Which faults to inject, decided per operation. */
    interface Faults {
        /** Whether to send {@code op} to ZooKeeper; when not, it is answered UNKNOWN. */
        default boolean send(LeaseCommand.StoreOp op) {
            return true;
        }

        /** The result the shell sees for {@code op}. */
        default StoreResult result(LeaseCommand.StoreOp op, StoreResult actual) {
            return actual;
        }

        /** Whether to hold {@code op}'s result back until {@link #deliverHeld()}. */
        default boolean hold(LeaseCommand.StoreOp op) {
            return false;
        }
    }

    private final Faults faults;
    private final Executor executor;
    private final BiConsumer<Long, StoreResult> deliver;
    private final Map<Long, LeaseCommand.StoreOp> inFlight = new ConcurrentHashMap<>();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private LeaseStore zooKeeper;

    private FaultyLeaseStore(Faults faults, Executor executor, BiConsumer<Long, StoreResult> deliver) {
        this.faults = faults;
        this.executor = executor;
        this.deliver = deliver;
    }

    /** A store factory for {@link CuratorLease#start}; the store it builds is put in {@code built}. */
    static CuratorLeaseStore.Factory injecting(Faults faults, AtomicReference<FaultyLeaseStore> built) {
        return (client, paths, executor, deliver) -> {
            final FaultyLeaseStore store = new FaultyLeaseStore(faults, executor, deliver);
            store.zooKeeper = new CuratorLeaseStore(client, paths, executor, store::onResult);
            built.set(store);
            return store;
        };
    }

    /** How many results are held back now. */
    int heldCount() {
        return held.size();
    }

    /** Hands the held-back results to the shell, in the order they arrived, on its thread. */
    void deliverHeld() {
        final List<Runnable> due = List.copyOf(held);
        held.clear();
        due.forEach(executor::execute);
    }

    private void onResult(long op, StoreResult actual) {
        final LeaseCommand.StoreOp sent = inFlight.remove(op);
        if (faults.hold(sent)) {
            held.add(() -> deliver.accept(op, faults.result(sent, actual)));
        } else {
            deliver.accept(op, faults.result(sent, actual));
        }
    }

    private void send(LeaseCommand.StoreOp op) {
        if (faults.send(op)) {
            inFlight.put(op.op(), op);
            op.sendTo(zooKeeper);
        } else {
            executor.execute(() -> deliver.accept(op.op(), unknown(op)));
        }
    }

    private static StoreResult unknown(LeaseCommand.StoreOp op) {
        final String detail = "injected: connection lost in flight";
        if (op instanceof LeaseCommand.ListWorkers) {
            return StoreResult.Listed.failed(StoreResult.Kind.UNKNOWN, detail);
        }
        if (op instanceof LeaseCommand.Read) {
            return StoreResult.Read.failed(StoreResult.Kind.UNKNOWN, detail);
        }
        if (op instanceof LeaseCommand.ReadCluster) {
            return StoreResult.ClusterRead.failed(StoreResult.Kind.UNKNOWN, detail);
        }
        return StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, detail);
    }

    @Override
    public void readCluster(long op) {
        send(new LeaseCommand.ReadCluster(op));
    }

    @Override
    public void createCluster(long op, ClusterRecord record) {
        send(new LeaseCommand.CreateCluster(op, record));
    }

    @Override
    public void listWorkers(long op, long datacenterId) {
        send(new LeaseCommand.ListWorkers(op, datacenterId));
    }

    @Override
    public void createRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record) {
        send(new LeaseCommand.CreateRecord(op, clusterId, datacenterId, workerId, record));
    }

    @Override
    public void claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
            WorkerRecord record) {
        send(new LeaseCommand.Claim(op, clusterId, datacenterId, workerId, expectedVersion, record));
    }

    @Override
    public void write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
            WorkerRecord record) {
        send(new LeaseCommand.Write(op, clusterId, datacenterId, workerId, expectedVersion, record));
    }

    @Override
    public void read(long op, long datacenterId, long workerId) {
        send(new LeaseCommand.Read(op, datacenterId, workerId));
    }

    @Override
    public void deleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion) {
        send(new LeaseCommand.DeleteOwner(op, clusterId, datacenterId, workerId, recordVersion));
    }
}
