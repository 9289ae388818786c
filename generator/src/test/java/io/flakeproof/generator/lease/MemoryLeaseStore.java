package io.flakeproof.generator.lease;

import io.flakeproof.generator.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A linearizable in-memory store with versioned records and session-owned ephemerals, for driving
 * {@link LeaseCore} step by step in unit tests. It meets the {@link LeaseStore} contract exactly as
 * the ZooKeeper store does ({@code LeaseStoreContract} runs against both): a create returns no
 * modification time, a claim and a write do, an owner's delete is guarded by the record's version.
 *
 * <p>Operations take effect when sent; their results wait in the session's queue until the test
 * delivers them. The test can lose an acknowledgement (applied, reported UNKNOWN), drop an operation
 * (not applied, reported UNKNOWN) or answer a read from the record's previous version (stale).
 */
final class MemoryLeaseStore {

    /** What happens to the next operation a session sends. */
    enum Fault { NONE, LOSE_ACK, DROP, STALE }

    private record Entry(int version, WorkerRecord record, Session owner, long mtime) {
    }

    private final ManualClock leaderClock;
    private final Map<Long, Entry> records = new TreeMap<>();
    /** Each record as it was before its latest write: what a stale read returns. */
    private final Map<Long, Entry> previous = new TreeMap<>();
    private ClusterRecord cluster;
    /** A broken store for negative controls: claims and writes ignore the expected version. */
    private final boolean unfenced;

    MemoryLeaseStore(ManualClock leaderClock) {
        this(leaderClock, false);
    }

    MemoryLeaseStore(ManualClock leaderClock, boolean unfenced) {
        this.leaderClock = leaderClock;
        this.unfenced = unfenced;
    }

    WorkerRecord record(long worker) {
        final Entry e = records.get(worker);
        return e == null ? null : e.record;
    }

    int version(long worker) {
        final Entry e = records.get(worker);
        return e == null ? -1 : e.version;
    }

    boolean owned(long worker) {
        final Entry e = records.get(worker);
        return e != null && e.owner != null;
    }

    ClusterRecord cluster() {
        return cluster;
    }

    /** The registry is wiped: every record, and the cluster's, is gone. */
    void wipe() {
        records.clear();
        previous.clear();
        cluster = null;
    }

    /** Server-side session expiry: the session's owners vanish. */
    void expire(Session session) {
        records.replaceAll((w, e) -> e.owner == session ? new Entry(e.version, e.record, null, e.mtime) : e);
        session.expired = true;
    }

    Session session() {
        return new Session();
    }

    final class Session implements LeaseStore {
        final Deque<Object[]> results = new ArrayDeque<>();
        /** Faults for the next operations, one each, in order; none when empty. */
        final Deque<Fault> plan = new ArrayDeque<>();
        boolean expired;

        private void reply(long op, StoreResult applied, StoreResult unknown) {
            final Fault fault = plan.isEmpty() ? Fault.NONE : plan.remove();
            results.add(new Object[] {op, fault == Fault.NONE || fault == Fault.STALE ? applied : unknown});
        }

        /** Whether the next operation is lost before it reaches the store. */
        private boolean dropping() {
            return plan.peek() == Fault.DROP || expired;
        }

        private void store(long op, long workerId, Entry next, StoreResult.Written ok) {
            previous.put(workerId, records.get(workerId));
            records.put(workerId, next);
            reply(op, ok, unknownWrite());
        }

        private StoreResult.Written unknownWrite() {
            return StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "connection lost");
        }

        /** Whether the cluster a write is fenced by is no longer the registry's (wiped, re-created). */
        private boolean gone(String clusterId) {
            return cluster == null || !cluster.clusterId().equals(clusterId);
        }

        private StoreResult.Written conflict(String detail) {
            return StoreResult.Written.failed(StoreResult.Kind.CONFLICT, detail);
        }

        @Override
        public void readCluster(long op) {
            reply(op, StoreResult.ClusterRead.ok(cluster), StoreResult.ClusterRead.failed(StoreResult.Kind.UNKNOWN, "lost"));
        }

        @Override
        public void createCluster(long op, ClusterRecord record) {
            if (dropping()) {
                reply(op, unknownWrite(), unknownWrite());
            } else if (cluster != null) {
                reply(op, conflict("cluster record exists"), unknownWrite());
            } else {
                cluster = record;
                reply(op, StoreResult.Written.ok(0, 0), unknownWrite());
            }
        }

        @Override
        public void listWorkers(long op, long datacenterId) {
            final BitSet existing = new BitSet();
            final BitSet owned = new BitSet();
            records.forEach((w, e) -> {
                existing.set(w.intValue());
                if (e.owner != null) {
                    owned.set(w.intValue());
                }
            });
            reply(op, StoreResult.Listed.ok(existing, owned), StoreResult.Listed.failed(StoreResult.Kind.UNKNOWN, "lost"));
        }

        @Override
        public void createRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record) {
            if (dropping()) {
                reply(op, unknownWrite(), unknownWrite());
            } else if (gone(clusterId)) {
                reply(op, conflict("cluster " + clusterId + " is gone"), unknownWrite());
            } else if (records.containsKey(workerId)) {
                reply(op, conflict("record exists"), unknownWrite());
            } else {
                store(op, workerId, new Entry(0, record, null, leaderClock.wallMillis()), StoreResult.Written.ok(0, 0));
            }
        }

        @Override
        public void claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion, WorkerRecord record) {
            final Entry e = records.get(workerId);
            if (dropping()) {
                reply(op, unknownWrite(), unknownWrite());
            } else if (gone(clusterId)) {
                reply(op, conflict("cluster " + clusterId + " is gone"), unknownWrite());
            } else if (e == null || e.version != expectedVersion && expectedVersion != -1 && !unfenced || e.owner != null) {
                reply(op, conflict("bad version, no record or owned"), unknownWrite());
            } else {
                final long mtime = leaderClock.wallMillis();
                store(op, workerId, new Entry(e.version + 1, record, this, mtime), StoreResult.Written.ok(e.version + 1, mtime));
            }
        }

        @Override
        public void write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion, WorkerRecord record) {
            final Entry e = records.get(workerId);
            if (dropping()) {
                reply(op, unknownWrite(), unknownWrite());
            } else if (gone(clusterId)) {
                reply(op, conflict("cluster " + clusterId + " is gone"), unknownWrite());
            } else if (e == null || e.version != expectedVersion && expectedVersion != -1 && !unfenced) {
                reply(op, conflict("bad version"), unknownWrite());
            } else {
                final long mtime = leaderClock.wallMillis();
                store(op, workerId, new Entry(e.version + 1, record, e.owner, mtime), StoreResult.Written.ok(e.version + 1, mtime));
            }
        }

        @Override
        public void read(long op, long datacenterId, long workerId) {
            final Entry e = plan.peek() == Fault.STALE ? previous.get(workerId) : records.get(workerId);
            reply(op, e == null ? StoreResult.Read.absent() : StoreResult.Read.ok(e.record, e.version, e.mtime),
                    StoreResult.Read.failed(StoreResult.Kind.UNKNOWN, "connection lost"));
        }

        @Override
        public void deleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion) {
            final Entry e = records.get(workerId);
            if (dropping()) {
                reply(op, unknownWrite(), unknownWrite());
            } else if (gone(clusterId)) {
                reply(op, conflict("cluster " + clusterId + " is gone"), unknownWrite());
            } else if (e == null || e.version != recordVersion && recordVersion != -1 || e.owner == null) {
                reply(op, conflict("bad version or no owner"), unknownWrite());
            } else {
                records.put(workerId, new Entry(e.version, e.record, null, e.mtime));
                reply(op, StoreResult.Written.ok(recordVersion, 0), unknownWrite());
            }
        }
    }

    /** A lease holder wired to a session: sends its store commands, delivers results, keeps the rest. */
    static final class Driver {
        final LeaseHolder holder;
        final LeaseCore core;
        Session session;
        final List<LeaseCommand> notices = new ArrayList<>();

        Driver(LeaseHolder holder, Session session) {
            this.holder = holder;
            this.core = holder.core();
            this.session = session;
        }

        /** Sends the commands' store operations and keeps their notices; delivers nothing yet. */
        Driver send(List<LeaseCommand> commands) {
            for (LeaseCommand c : commands) {
                if (c instanceof LeaseCommand.StoreOp op) {
                    op.sendTo(session);
                } else {
                    notices.add(c);
                }
            }
            return this;
        }

        Driver start() {
            return send(holder.start());
        }

        Driver wake() {
            return send(holder.onWake());
        }

        /** Delivers one queued result. */
        Driver deliverOne() {
            final Object[] r = session.results.remove();
            return send(holder.onResult((Long) r[0], (StoreResult) r[1]));
        }

        /** Delivers results until none are queued. */
        Driver settle() {
            while (!session.results.isEmpty()) {
                deliverOne();
            }
            return this;
        }

        <T extends LeaseCommand> List<T> notices(Class<T> type) {
            return notices.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
