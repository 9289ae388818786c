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
 * {@link LeaseCore} step by step in unit tests. Operations take effect when sent; their results wait
 * in the session's queue until the test delivers them, and the test can lose an acknowledgement
 * (applied, reported UNKNOWN) or drop an operation (not applied, reported UNKNOWN).
 * ZooKeeper itself is exercised by the registry's tests.
 */
final class MemoryLeaseStore {

    /** What happens to the next operation a session sends. */
    enum Fault { NONE, LOSE_ACK, DROP }

    private record Entry(int version, WorkerRecord record, Session owner, long mtime) {
    }

    private final ManualClock leaderClock;
    private final Map<Long, Entry> records = new TreeMap<>();

    MemoryLeaseStore(ManualClock leaderClock) {
        this.leaderClock = leaderClock;
    }

    WorkerRecord record(long worker) {
        final Entry e = records.get(worker);
        return e == null ? null : e.record;
    }

    boolean owned(long worker) {
        final Entry e = records.get(worker);
        return e != null && e.owner != null;
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
            results.add(new Object[] {op, fault == Fault.NONE ? applied : unknown});
        }

        private boolean dropping() {
            return plan.peek() == Fault.DROP || expired;
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
        public void claim(long op, long datacenterId, long workerId, int expectedVersion, WorkerRecord record) {
            final StoreResult.Written unknown = StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "connection lost");
            if (dropping()) {
                reply(op, unknown, unknown);
                return;
            }
            final Entry e = records.get(workerId);
            final boolean ok = expectedVersion == NEW_RECORD ? e == null
                    : e != null && e.version == expectedVersion && e.owner == null;
            if (!ok) {
                reply(op, StoreResult.Written.failed(StoreResult.Kind.CONFLICT, "bad version or owned"), unknown);
                return;
            }
            final int version = e == null ? 0 : e.version + 1;
            records.put(workerId, new Entry(version, record, this, leaderClock.wallMillis()));
            reply(op, StoreResult.Written.ok(version, leaderClock.wallMillis()), unknown);
        }

        @Override
        public void write(long op, long datacenterId, long workerId, int expectedVersion, WorkerRecord record) {
            final StoreResult.Written unknown = StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "connection lost");
            if (dropping()) {
                reply(op, unknown, unknown);
                return;
            }
            final Entry e = records.get(workerId);
            if (e == null || e.version != expectedVersion) {
                reply(op, StoreResult.Written.failed(StoreResult.Kind.CONFLICT, "bad version"), unknown);
                return;
            }
            records.put(workerId, new Entry(e.version + 1, record, e.owner, leaderClock.wallMillis()));
            reply(op, StoreResult.Written.ok(e.version + 1, leaderClock.wallMillis()), unknown);
        }

        @Override
        public void read(long op, long datacenterId, long workerId) {
            final Entry e = records.get(workerId);
            reply(op, e == null ? StoreResult.Read.absent() : StoreResult.Read.ok(e.record, e.version, e.mtime),
                    StoreResult.Read.failed(StoreResult.Kind.UNKNOWN, "connection lost"));
        }

        @Override
        public void deleteOwner(long op, long datacenterId, long workerId) {
            final Entry e = records.get(workerId);
            if (e != null && e.owner == this) {
                records.put(workerId, new Entry(e.version, e.record, null, e.mtime));
            }
            reply(op, StoreResult.Written.ok(e == null ? -1 : e.version, 0),
                    StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "connection lost"));
        }
    }

    /** A core wired to a session: sends its store commands, delivers results, keeps the rest. */
    static final class Driver {
        final LeaseCore core;
        final Session session;
        final List<LeaseCommand> notices = new ArrayList<>();

        Driver(LeaseCore core, Session session) {
            this.core = core;
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

        /** Delivers one queued result. */
        Driver deliverOne() {
            final Object[] r = session.results.remove();
            return send(core.onResult((Long) r[0], (StoreResult) r[1]));
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
