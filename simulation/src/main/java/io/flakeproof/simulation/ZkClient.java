package io.flakeproof.simulation;

import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One process's ZooKeeper client as Curator 5.9 presents it, over the simulated network: requests
 * delayed, dropped, applied with their acknowledgement lost, or read stale, at the run's rates;
 * pings every third of the session timeout; SUSPENDED after two thirds of the timeout without an
 * answer, and LOST once a full timeout has passed since, timed on the node's own wall clock (as
 * Curator does with {@code System.currentTimeMillis}: a forward jump while suspended ends a term
 * whose session is still alive). After LOST it opens a new session.
 *
 * <p>It is the {@link LeaseStore} of the fenced protocol: each operation's result comes back through
 * {@code deliver}, which the node defers while its process is paused. An operation the server never
 * answered, or whose answer was lost, is {@code UNKNOWN}, as {@code CuratorLeaseStore} reports a
 * {@code CONNECTIONLOSS}.
 */
final class ZkClient implements LeaseStore {

    /** The connection's state as the lease sees it. */
    interface Listener {
        void suspended();

        void reconnected();

        void lost();
    }

    private enum State { CONNECTED, SUSPENDED }

    private final SimNode node;
    private final World world;
    private final long timeoutNanos;
    private final BiConsumer<Long, StoreResult> deliver;
    private final Listener listener;
    private long session;
    private State state = State.CONNECTED;
    private long lastHeardWall;
    private long suspendedAtWall;
    private boolean closed;
    private final boolean unfenced;

    ZkClient(SimNode node, World world, long timeoutNanos, BiConsumer<Long, StoreResult> deliver, Listener listener) {
        this(node, world, timeoutNanos, deliver, listener, false);
    }

    /** @param unfenced writes carry no cluster fence (the blinded negative control) */
    ZkClient(SimNode node, World world, long timeoutNanos, BiConsumer<Long, StoreResult> deliver, Listener listener,
            boolean unfenced) {
        this.unfenced = unfenced;
        this.node = node;
        this.world = world;
        this.timeoutNanos = timeoutNanos;
        this.deliver = deliver;
        this.listener = listener;
        this.session = world.reachable(node) ? world.zk().openSession(timeoutNanos) : 0;
        this.lastHeardWall = node.clock().wallMillis();
        ping();
        check();
    }

    long session() {
        return session;
    }

    /** Closes the session (a graceful stop): its ephemerals go at once. */
    void close() {
        closed = true;
        if (world.reachable(node)) {
            world.zk().close(session);
        }
    }

    /** The process died: its client stops, its session lingers on the server until it expires. */
    void abandon() {
        closed = true;
    }

    // ---- the connection ----

    private void ping() {
        if (closed) {
            return;
        }
        if (world.reachable(node)) {
            if (session == 0) {
                session = world.zk().openSession(timeoutNanos);
            }
            if (!world.followerCut(node)) {
                world.zk().heard(session);
            }
            // A follower cut off from the leader still answers pings: the client hears nothing wrong.
            if (world.zk().alive(session) || world.followerCut(node)) {
                lastHeardWall = node.clock().wallMillis();
                if (state == State.SUSPENDED) {
                    state = State.CONNECTED;
                    listener.reconnected();
                }
            } else if (session != 0) {
                // Reconnected to learn that the session expired.
                lose();
            }
        }
        node.later(timeoutNanos / 3, this::ping);
    }

    private void check() {
        if (closed) {
            return;
        }
        final long wall = node.clock().wallMillis();
        final long timeoutMillis = timeoutNanos / 1_000_000;
        if (state == State.CONNECTED && wall - lastHeardWall > timeoutMillis * 2 / 3) {
            state = State.SUSPENDED;
            suspendedAtWall = wall;
            listener.suspended();
        } else if (state == State.SUSPENDED && wall - suspendedAtWall >= timeoutMillis) {
            lose();
        }
        node.later(Math.max(1_000_000, timeoutNanos / 20), this::check);
    }

    private void lose() {
        session = 0;
        state = State.CONNECTED;
        lastHeardWall = node.clock().wallMillis();
        listener.lost();
    }

    // ---- requests ----

    /**
     * Sends one request: {@code serve} is the server's answer, run when the request arrives;
     * {@code unknown} what the client reports when it cannot vouch for the outcome.
     */
    private void request(long op, boolean write, boolean read, Supplier<StoreResult> serve, StoreResult unknown) {
        call(write, serve, answer -> deliver.accept(op, answer), () -> deliver.accept(op, unknown));
    }

    /**
     * Any request, for the naive protocols too: {@code serve} runs at the server when the request
     * arrives; {@code onAnswer} gets its answer back on the node, or {@code onUnknown} runs when the
     * client cannot vouch for the outcome (never sent, dropped, applied with its answer lost, or the
     * connection gone before the answer came).
     */
    <T> void call(boolean write, Supplier<T> serve, Consumer<T> onAnswer, Runnable onUnknown) {
        final Network net = world.network();
        if (!world.reachable(node) || session == 0 || write && world.followerCut(node)) {
            node.later(net.connectionLossNanos(timeoutNanos), onUnknown);
            return;
        }
        final long sent = session;
        world.sim().after(net.delayNanos(), () -> {
            final Network.Fate fate = net.fate(write);
            // A request on a session the server has expired is refused (SESSIONEXPIRED): never applied.
            if (!world.reachable(node) || sent != session || fate == Network.Fate.DROP || !world.zk().alive(sent)) {
                world.sim().after(net.delayNanos(), () -> node.deliver(onUnknown)); // never applied
                return;
            }
            final T served = serve.get();
            world.sim().after(net.delayNanos(), () -> node.deliver(() -> {
                if (fate == Network.Fate.LOSE_ACK || !world.reachable(node)) {
                    onUnknown.run();
                } else {
                    onAnswer.accept(served);
                }
            }));
        });
    }

    private String fence(String clusterId) {
        return unfenced ? null : clusterId;
    }

    private static StoreResult.Written unknownWrite() {
        return StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "CONNECTIONLOSS");
    }

    @Override
    public void readCluster(long op) {
        request(op, false, false, () -> world.zk().readCluster(),
                StoreResult.ClusterRead.failed(StoreResult.Kind.UNKNOWN, "CONNECTIONLOSS"));
    }

    @Override
    public void createCluster(long op, ClusterRecord record) {
        request(op, true, false, () -> world.zk().createCluster(record), unknownWrite());
    }

    @Override
    public void listWorkers(long op, long datacenterId) {
        request(op, false, false, () -> world.network().staleRead() ? world.zk().staleListWorkers() : world.zk().listWorkers(),
                StoreResult.Listed.failed(StoreResult.Kind.UNKNOWN, "CONNECTIONLOSS"));
    }

    @Override
    public void createRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record) {
        request(op, true, false, () -> world.zk().createRecord(fence(clusterId), workerId, record), unknownWrite());
    }

    @Override
    public void claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
            WorkerRecord record) {
        final long s = session;
        request(op, true, false, () -> world.zk().claim(fence(clusterId), s, workerId, expectedVersion, record), unknownWrite());
    }

    @Override
    public void write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
            WorkerRecord record) {
        request(op, true, false, () -> world.zk().write(fence(clusterId), workerId, expectedVersion, record), unknownWrite());
    }

    @Override
    public void read(long op, long datacenterId, long workerId) {
        request(op, false, true, () -> world.zk().read(workerId),
                StoreResult.Read.failed(StoreResult.Kind.UNKNOWN, "CONNECTIONLOSS"));
    }

    @Override
    public void deleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion) {
        request(op, true, false, () -> world.zk().deleteOwner(fence(clusterId), workerId, recordVersion), unknownWrite());
    }
}
