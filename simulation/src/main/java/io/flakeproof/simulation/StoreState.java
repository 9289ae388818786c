package io.flakeproof.simulation;

import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The explorer's registry as an immutable value: znodes by path (each with its data, version, owning
 * session for an ephemeral, and modification time) and the sessions the registry has expired. Every
 * operation returns a new value and the answer, so a state of the world can be compared, hashed and
 * kept without copying a process. The lease core's operations keep ZooKeeper's semantics as the
 * {@link LeaseStore} contract states them: versioned writes, an atomic claim of record and owner,
 * a version-guarded delete of the owner, every write fenced by the cluster id, and an operation on
 * an expired session applied never and answered {@code UNKNOWN}.
 *
 * @param nodes   path to znode, ordered by path
 * @param expired the sessions the registry expired (their ephemerals are gone)
 */
record StoreState(SortedMap<String, Znode> nodes, NavigableSet<Integer> expired) {

    /** One znode: {@code owner} is the session of an ephemeral, 0 for a persistent node. */
    record Znode(Object data, int version, int owner, long mtimeMillis) {
    }

    /** A new store value and the answer of the operation that produced it. */
    record Applied(StoreState store, Object answer) {
    }

    /** The path of the cluster's record. */
    static final String CLUSTER = "layout";

    StoreState {
        nodes = Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        expired = Collections.unmodifiableNavigableSet(new TreeSet<>(expired));
    }

    /** A registry holding only the cluster's record, as every node of the world joined it before. */
    static StoreState withCluster(ClusterRecord cluster) {
        return new StoreState(new TreeMap<>(Map.of(CLUSTER, new Znode(cluster, 0, 0, 0))), new TreeSet<>());
    }

    static String record(long worker) {
        return "w/" + worker;
    }

    static String owner(long worker) {
        return "w/" + worker + "/owner";
    }

    Znode get(String path) {
        return nodes.get(path);
    }

    boolean isExpired(int session) {
        return expired.contains(session);
    }

    /** Whether an ephemeral of {@code session} exists. */
    boolean owns(int session) {
        return nodes.values().stream().anyMatch(z -> z.owner == session);
    }

    /** A copy with {@code path} set to {@code node}, or removed when it is null. */
    StoreState with(String path, Znode node) {
        final TreeMap<String, Znode> next = new TreeMap<>(nodes);
        if (node == null) {
            next.remove(path);
        } else {
            next.put(path, node);
        }
        return new StoreState(next, expired);
    }

    /**
     * This value with every session renamed by {@code names} (the explorer's key, see
     * {@code SmallWorld.sessionNames}): the owners of ephemeral nodes, and the expired sessions that
     * {@code names} holds; the others are left out.
     */
    StoreState renamed(Map<Integer, Integer> names) {
        final TreeMap<String, Znode> next = new TreeMap<>();
        nodes.forEach((path, z) -> next.put(path, z.owner == 0 ? z
                : new Znode(z.data, z.version, names.get(z.owner), z.mtimeMillis)));
        final TreeSet<Integer> dead = new TreeSet<>();
        for (Integer session : expired) {
            if (names.containsKey(session)) {
                dead.add(names.get(session));
            }
        }
        return new StoreState(next, dead);
    }

    /** The registry expires {@code session}: its ephemerals vanish and its later operations fail. */
    StoreState expire(int session) {
        final TreeMap<String, Znode> next = new TreeMap<>(nodes);
        next.values().removeIf(z -> z.owner == session);
        final TreeSet<Integer> dead = new TreeSet<>(expired);
        dead.add(session);
        return new StoreState(next, dead);
    }

    /**
     * Applies one of the lease core's operations sent on {@code session} at the registry's wall time
     * {@code nowMillis}: the new value and the {@link StoreResult} the registry answers.
     */
    Applied apply(LeaseCommand.StoreOp op, int session, long nowMillis) {
        final Applier applier = new Applier(session, nowMillis);
        if (isExpired(session)) {
            return new Applied(this, unknown(op));
        }
        op.sendTo(applier);
        return new Applied(applier.next, applier.answer);
    }

    /** The answer to {@code op} when its outcome is not known to its sender: the connection was lost. */
    static StoreResult unknown(LeaseCommand.StoreOp op) {
        final StoreResult.Kind k = StoreResult.Kind.UNKNOWN;
        if (op instanceof LeaseCommand.ReadCluster) {
            return StoreResult.ClusterRead.failed(k, "connection lost");
        }
        if (op instanceof LeaseCommand.ListWorkers) {
            return StoreResult.Listed.failed(k, "connection lost");
        }
        if (op instanceof LeaseCommand.Read) {
            return StoreResult.Read.failed(k, "connection lost");
        }
        return StoreResult.Written.failed(k, "connection lost");
    }

    /** Runs one {@link LeaseStore} operation against this value, keeping the value it produces and the answer. */
    private final class Applier implements LeaseStore {
        private final int session;
        private final long now;
        private StoreState next = StoreState.this;
        private StoreResult answer;

        Applier(int session, long now) {
            this.session = session;
            this.now = now;
        }

        private boolean gone(String clusterId) {
            final Znode c = get(CLUSTER);
            return c == null || !((ClusterRecord) c.data).clusterId().equals(clusterId);
        }

        private StoreResult.Written conflict(String detail) {
            return StoreResult.Written.failed(StoreResult.Kind.CONFLICT, detail);
        }

        @Override
        public void readCluster(long op) {
            final Znode c = get(CLUSTER);
            answer = StoreResult.ClusterRead.ok(c == null ? null : (ClusterRecord) c.data);
        }

        @Override
        public void createCluster(long op, ClusterRecord record) {
            if (get(CLUSTER) != null) {
                answer = conflict("cluster record exists");
            } else {
                next = with(CLUSTER, new Znode(record, 0, 0, now));
                answer = StoreResult.Written.ok(0, 0);
            }
        }

        @Override
        public void listWorkers(long op, long datacenterId) {
            final BitSet existing = new BitSet();
            final BitSet owned = new BitSet();
            for (String path : nodes.keySet()) {
                if (path.startsWith("w/") && path.indexOf('/', 2) < 0) {
                    final int w = Integer.parseInt(path.substring(2));
                    existing.set(w);
                    owned.set(w, get(owner(w)) != null);
                }
            }
            answer = StoreResult.Listed.ok(existing, owned);
        }

        @Override
        public void createRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record) {
            if (gone(clusterId)) {
                answer = conflict("cluster " + clusterId + " is gone");
            } else if (get(record(workerId)) != null) {
                answer = conflict("record exists");
            } else {
                next = with(record(workerId), new Znode(record, 0, 0, now));
                answer = StoreResult.Written.ok(0, 0);
            }
        }

        @Override
        public void claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
                WorkerRecord record) {
            final Znode e = get(record(workerId));
            if (gone(clusterId)) {
                answer = conflict("cluster " + clusterId + " is gone");
            } else if (e == null || e.version != expectedVersion && expectedVersion != -1
                    || get(owner(workerId)) != null) {
                answer = conflict("bad version, no record or owned");
            } else {
                next = with(record(workerId), new Znode(record, e.version + 1, 0, now))
                        .with(owner(workerId), new Znode("owner", 0, session, now));
                answer = StoreResult.Written.ok(e.version + 1, now);
            }
        }

        @Override
        public void write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
                WorkerRecord record) {
            final Znode e = get(record(workerId));
            if (gone(clusterId)) {
                answer = conflict("cluster " + clusterId + " is gone");
            } else if (e == null || e.version != expectedVersion && expectedVersion != -1) {
                answer = conflict("bad version");
            } else {
                next = with(record(workerId), new Znode(record, e.version + 1, 0, now));
                answer = StoreResult.Written.ok(e.version + 1, now);
            }
        }

        @Override
        public void read(long op, long datacenterId, long workerId) {
            final Znode e = get(record(workerId));
            answer = e == null ? StoreResult.Read.absent()
                    : StoreResult.Read.ok((WorkerRecord) e.data, e.version, e.mtimeMillis);
        }

        @Override
        public void deleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion) {
            final Znode e = get(record(workerId));
            if (gone(clusterId)) {
                answer = conflict("cluster " + clusterId + " is gone");
            } else if (e == null || e.version != recordVersion && recordVersion != -1 || get(owner(workerId)) == null) {
                answer = conflict("bad version or no owner");
            } else {
                next = with(owner(workerId), null);
                answer = StoreResult.Written.ok(recordVersion, 0);
            }
        }
    }
}
