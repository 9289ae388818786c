package io.flakeproof.simulation;

import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated ZooKeeper ensemble, adversarial on purpose: the server side of every store operation,
 * sessions expired by the leader's monotonic clock and re-armed with a full timeout on a leader
 * change, ephemeral owners, versioned records, multi-op transactions applied atomically, quorum loss,
 * a wipe, and a rollback to a snapshot. What a client sees of it (delays, lost acknowledgements, stale reads, partitions) is
 * {@link ZkClient}'s.
 *
 * <p>Data lives in znodes keyed by path, in a sorted map: {@code cluster}, {@code w/<worker>} (worker
 * records) and {@code o/<worker>} (owners) for the fenced protocol, anything else for the naive ones.
 * Every write keeps the znode's previous state, which a stale read returns. It answers each operation
 * as {@code CuratorLeaseStore} maps ZooKeeper's result codes; the store contract test runs against it.
 */
final class ZooKeeperSim {

    /** One znode: its data, version, ephemeral owner (0 for none), modification time, and its state before. */
    static final class Znode {
        final Object data;
        final int version;
        final long owner;
        final long mtime;
        final Znode previous;

        Znode(Object data, int version, long owner, long mtime, Znode previous) {
            this.data = data;
            this.version = version;
            this.owner = owner;
            this.mtime = mtime;
            this.previous = previous;
        }
    }

    /** A session as the leader tracks it. */
    static final class Session {
        final long timeoutNanos;
        long lastHeard;

        Session(long timeoutNanos, long lastHeard) {
            this.timeoutNanos = timeoutNanos;
            this.lastHeard = lastHeard;
        }
    }

    private final SimClock leaderClock;
    private final TreeMap<String, Znode> nodes = new TreeMap<>();
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private long nextSession = 1;
    private boolean quorum = true;
    private long sessionsExpired;
    private StoreResult lagged;

    ZooKeeperSim(SimClock leaderClock) {
        this.leaderClock = leaderClock;
    }

    // ---- the ensemble ----

    boolean hasQuorum() {
        return quorum;
    }

    /** Quorum lost: no operation is served and no session expires until it is back. */
    void loseQuorum() {
        quorum = false;
    }

    /** Quorum back with a new leader: every session is re-armed with a full timeout. */
    void regainQuorum() {
        quorum = true;
        leaderChange();
    }

    /** A new leader: it knows nothing of the old one's timers, so every session gets a full timeout. */
    void leaderChange() {
        final long now = leaderClock.monotonicNanos();
        sessions.values().forEach(s -> s.lastHeard = now);
    }

    /** Every znode and session is gone, as on an ensemble wiped and started empty. */
    void wipe() {
        nodes.clear();
        sessions.clear();
    }

    /** The ensemble's state now, for {@link #restore}: znodes are immutable, so copies of the maps. */
    record Snapshot(TreeMap<String, Znode> nodes, TreeMap<Long, Session> sessions) {
    }

    Snapshot snapshot() {
        final TreeMap<Long, Session> s = new TreeMap<>();
        sessions.forEach((id, x) -> s.put(id, new Session(x.timeoutNanos, x.lastHeard)));
        return new Snapshot(new TreeMap<>(nodes), s);
    }

    /**
     * The ensemble restarts from {@code snapshot}, as one restored from an old backup (a rollback): every
     * write and session since is gone, the sessions it had are re-armed with a full timeout by the new
     * leader. Session ids are not reused.
     */
    void restore(Snapshot snapshot) {
        nodes.clear();
        nodes.putAll(snapshot.nodes());
        sessions.clear();
        snapshot.sessions().forEach((id, x) -> sessions.put(id, new Session(x.timeoutNanos, x.lastHeard)));
        leaderChange();
    }

    long sessionsExpired() {
        return sessionsExpired;
    }

    // ---- sessions ----

    /** A new session, or 0 when there is no quorum to create one. */
    long openSession(long timeoutNanos) {
        if (!quorum) {
            return 0;
        }
        final long id = nextSession++;
        sessions.put(id, new Session(timeoutNanos, leaderClock.monotonicNanos()));
        return id;
    }

    boolean alive(long session) {
        return sessions.containsKey(session);
    }

    /** A ping of {@code session} reached the leader. */
    void heard(long session) {
        final Session s = sessions.get(session);
        if (s != null && quorum) {
            s.lastHeard = leaderClock.monotonicNanos();
        }
    }

    /** The leader expires every session it has not heard from within its timeout. */
    void expireDue() {
        if (!quorum) {
            return;
        }
        final long now = leaderClock.monotonicNanos();
        sessions.entrySet().removeIf(e -> {
            if (now - e.getValue().lastHeard > e.getValue().timeoutNanos) {
                dropEphemerals(e.getKey());
                sessionsExpired++;
                return true;
            }
            return false;
        });
    }

    /** Ends {@code session} now, as closing its client does. */
    void close(long session) {
        if (sessions.remove(session) != null) {
            dropEphemerals(session);
        }
    }

    private void dropEphemerals(long session) {
        nodes.entrySet().removeIf(e -> e.getValue().owner == session);
    }

    // ---- generic znodes, for the naive protocols too ----

    Znode get(String path) {
        return nodes.get(path);
    }

    /** Creates {@code path} (ephemeral when {@code session != 0}); false when it exists or the session is gone. */
    boolean create(String path, Object data, long session) {
        if (nodes.containsKey(path) || session != 0 && !alive(session)) {
            return false;
        }
        nodes.put(path, new Znode(data, 0, session, leaderClock.wallMillis(), null));
        return true;
    }

    /** Sets {@code path}'s data whatever its version; false when it does not exist. */
    boolean set(String path, Object data) {
        final Znode z = nodes.get(path);
        if (z == null) {
            return false;
        }
        nodes.put(path, new Znode(data, z.version + 1, z.owner, leaderClock.wallMillis(), z));
        return true;
    }

    void delete(String path) {
        nodes.remove(path);
    }

    /** The paths that start with {@code prefix}, in order. */
    Map<String, Znode> under(String prefix) {
        return nodes.subMap(prefix, prefix + Character.MAX_VALUE);
    }

    // ---- the lease store's operations, as the server answers them ----

    private static String record(long worker) {
        return "w/" + worker;
    }

    private static String owner(long worker) {
        return "o/" + worker;
    }

    private static StoreResult.Written conflict(String what) {
        return StoreResult.Written.failed(StoreResult.Kind.CONFLICT, what);
    }

    StoreResult readCluster() {
        final Znode z = nodes.get("cluster");
        return StoreResult.ClusterRead.ok(z == null ? null : (ClusterRecord) z.data);
    }

    StoreResult createCluster(ClusterRecord record) {
        return create("cluster", record, 0) ? StoreResult.Written.ok(0, 0) : conflict("cluster: NODEEXISTS");
    }

    /**
     * The listing as a follower that lags the leader by a tick of the expiry timer serves it (listings are
     * not synced): records created and owners changed in the last 10 ms may not show yet.
     */
    StoreResult staleListWorkers() {
        return lagged != null ? lagged : listWorkers();
    }

    /** Called with each expiry tick: the listing a lagging follower serves until the next. */
    void lag() {
        lagged = listWorkers();
    }

    StoreResult listWorkers() {
        final BitSet existing = new BitSet();
        final BitSet owned = new BitSet();
        under("w/").keySet().forEach(p -> existing.set(Integer.parseInt(p.substring(2))));
        under("o/").keySet().forEach(p -> owned.set(Integer.parseInt(p.substring(2))));
        return StoreResult.Listed.ok(existing, owned);
    }

    /** A versioned operation's check, as ZooKeeper makes it: version -1 matches any version. */
    private static boolean matches(Znode z, int expectedVersion) {
        return expectedVersion == -1 || z.version == expectedVersion;
    }

    /**
     * Whether cluster {@code clusterId} is no longer the registry's: every write it fences then conflicts.
     * A null id is a write with no cluster fence (the blinded negative control's).
     */
    private boolean gone(String clusterId) {
        if (clusterId == null) {
            return false;
        }
        final Znode z = nodes.get("cluster");
        return z == null || !((ClusterRecord) z.data).clusterId().equals(clusterId);
    }

    StoreResult createRecord(String clusterId, long worker, WorkerRecord record) {
        if (gone(clusterId)) {
            return conflict("cluster " + clusterId + ": NONODE");
        }
        return create(record(worker), record, 0) ? StoreResult.Written.ok(0, 0)
                : conflict(record(worker) + ": NODEEXISTS");
    }

    /** One transaction: a versioned write of the record and the owner's creation, both or neither. */
    StoreResult claim(String clusterId, long session, long worker, int expectedVersion, WorkerRecord record) {
        if (!alive(session)) {
            return StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "SESSIONEXPIRED");
        }
        if (gone(clusterId)) {
            return conflict("cluster " + clusterId + ": NONODE");
        }
        final Znode z = nodes.get(record(worker));
        if (z == null || !matches(z, expectedVersion)) {
            return conflict(record(worker) + ": BADVERSION or NONODE");
        }
        if (nodes.containsKey(owner(worker))) {
            return conflict(owner(worker) + ": NODEEXISTS");
        }
        final long mtime = leaderClock.wallMillis();
        nodes.put(record(worker), new Znode(record, z.version + 1, 0, mtime, z));
        nodes.put(owner(worker), new Znode(record.holder(), 0, session, mtime, null));
        return StoreResult.Written.ok(z.version + 1, mtime);
    }

    StoreResult write(String clusterId, long worker, int expectedVersion, WorkerRecord record) {
        if (gone(clusterId)) {
            return conflict("cluster " + clusterId + ": NONODE");
        }
        final Znode z = nodes.get(record(worker));
        if (z == null || !matches(z, expectedVersion)) {
            return conflict(record(worker) + ": BADVERSION or NONODE");
        }
        final long mtime = leaderClock.wallMillis();
        nodes.put(record(worker), new Znode(record, z.version + 1, 0, mtime, z));
        return StoreResult.Written.ok(z.version + 1, mtime);
    }

    /** A synced read: it reflects every write committed before it (ZooKeeper's sync). */
    StoreResult read(long worker) {
        final Znode z = nodes.get(record(worker));
        return z == null ? StoreResult.Read.absent() : StoreResult.Read.ok((WorkerRecord) z.data, z.version, z.mtime);
    }

    /** One transaction: check the record's version, delete the owner. */
    StoreResult deleteOwner(String clusterId, long worker, int recordVersion) {
        if (gone(clusterId)) {
            return conflict("cluster " + clusterId + ": NONODE");
        }
        final Znode z = nodes.get(record(worker));
        if (z == null || !matches(z, recordVersion) || !nodes.containsKey(owner(worker))) {
            return conflict(owner(worker) + ": BADVERSION or NONODE");
        }
        nodes.remove(owner(worker));
        return StoreResult.Written.ok(recordVersion, 0);
    }

    /** The worker's record now, or null (for checkers and timelines, not for nodes). */
    WorkerRecord recordOf(long worker) {
        final Znode z = nodes.get(record(worker));
        return z == null ? null : (WorkerRecord) z.data;
    }
}
