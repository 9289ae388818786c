package io.flakeproof.simulation;

import io.flakeproof.generator.Lease;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.util.Locale;

/**
 * The naive ways of handing out worker IDs, for the simulator to catch colliding (negative
 * controls). Each is written as a reasonable engineer would write it, with its flaw intact; none is
 * ever used outside the simulator.
 */
final class NaiveProtocols {

    private NaiveProtocols() {
    }

    static Protocol named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "static-config" -> StaticConfig::new;
            case "ephemeral-only" -> EphemeralOnly::new;
            case "seed-quarantine" -> SeedQuarantine::new;
            case "leaf-like" -> LeafLike::new;
            default -> throw new IllegalArgumentException("protocol must be one of " + Protocol.NAMES + ": '" + name + "'");
        };
    }

    private static SnowflakeGenerator newGenerator(SimNode node, long worker) {
        final World w = node.world();
        final Lease lease = new StaticLease(0, worker);
        return new SnowflakeGenerator(w.layout(), new PausingLease(lease, node), node.processClock(),
                w.params().policy());
    }

    /**
     * {@code static-config}: the worker ID comes from the node's configuration file, one per host, each
     * host its own (a host beyond the pool gets none and serves nothing). A second process started from
     * a copied configuration (a twin) gets the same worker.
     */
    private static final class StaticConfig implements Protocol.Process {
        private final SnowflakeGenerator generator;

        StaticConfig(SimNode node) {
            final long capacity = node.world().layout().workerCapacity();
            final int host = Integer.parseInt(node.name().substring("node-".length()));
            this.generator = host < capacity ? newGenerator(node, host) : null;
        }

        @Override
        public SnowflakeGenerator generator() {
            return generator;
        }

        @Override
        public void crash() {
        }
    }

    /** What the naive protocols that use ZooKeeper share: the node, its client, the generator, death. */
    private abstract static class WithSession implements Protocol.Process, ZkClient.Listener {
        final SimNode node;
        final ZkClient client;
        SnowflakeGenerator generator;
        boolean dead;

        WithSession(SimNode node) {
            this.node = node;
            this.client = new ZkClient(node, node.world(), node.world().params().sessionTimeoutMillis() * 1_000_000,
                    (op, result) -> { }, this);
        }

        @Override
        public SnowflakeGenerator generator() {
            return dead ? null : generator;
        }

        @Override
        public void crash() {
            dead = true;
            client.abandon();
        }

        @Override
        public void suspended() {
        }

        @Override
        public void reconnected() {
        }

        @Override
        public void lost() {
        }

        /** Runs {@code action} after the run's retry delay. */
        void retry(Runnable action) {
            node.later(node.world().params().retryMillis() * 1_000_000, action);
        }
    }

    /**
     * {@code ephemeral-only}: a worker is free when its ephemeral znode is gone; a node creates the first
     * free one and mints under it. When its session is lost it takes a worker again, and until then
     * goes on with the one it had: a node paused or cut off past its session keeps minting under a
     * worker someone else now holds.
     */
    private static final class EphemeralOnly extends WithSession {
        EphemeralOnly(SimNode node) {
            super(node);
            acquire(0);
        }

        private void acquire(long worker) {
            if (dead) {
                return;
            }
            final World w = node.world();
            if (worker >= w.layout().workerCapacity()) {
                retry(() -> acquire(0));
                return;
            }
            final long session = client.session();
            client.call(true, () -> w.zk().create("e/" + worker, node.name(), session), created -> {
                if (created) {
                    generator = newGenerator(node, worker);
                    w.timeline(node, "takes worker " + worker + " (its ephemeral znode was free)");
                } else {
                    acquire(worker + 1);
                }
            }, () -> retry(() -> acquire(0)));
        }

        @Override
        public void lost() {
            acquire(0);
        }
    }

    /**
     * {@code seed-quarantine}: the original design. A worker's record holds an ephemeral owner and a lease
     * expiry written in the holder's wall-clock time; the holder renews it every third of the window and
     * mints while its own clock is before the expiry, halting when a renewal fails; a claimant takes a
     * worker with no owner once its own clock is a safety buffer past the recorded expiry. Clocks that
     * disagree by more than the buffer, or a holder paused after checking its expiry, collide.
     */
    private static final class SeedQuarantine extends WithSession {
        private final long windowMillis;
        private final long bufferMillis;
        private long worker = -1;
        private long expiresAtWall;

        SeedQuarantine(SimNode node) {
            super(node);
            this.windowMillis = node.world().params().windowMillis();
            this.bufferMillis = node.world().params().offsetBoundMillis();
            acquire(0);
        }

        private void acquire(long candidate) {
            if (dead) {
                return;
            }
            final World w = node.world();
            if (candidate >= w.layout().workerCapacity()) {
                retry(() -> acquire(0));
                return;
            }
            final long session = client.session();
            final long myWall = node.clock().wallMillis();
            final long expiry = myWall + windowMillis;
            client.call(true, () -> {
                final ZooKeeperSim.Znode expiryNode = w.zk().get("q/" + candidate);
                final long recorded = expiryNode == null ? Long.MIN_VALUE / 2 : (Long) expiryNode.data;
                // Free: no owner, and the claimant's own clock is a buffer past the recorded expiry.
                if (w.zk().get("qo/" + candidate) != null || myWall <= recorded + bufferMillis
                        || !w.zk().create("qo/" + candidate, node.name(), session)) {
                    return false;
                }
                if (!w.zk().set("q/" + candidate, expiry)) {
                    w.zk().create("q/" + candidate, expiry, 0);
                }
                return true;
            }, taken -> {
                if (taken) {
                    worker = candidate;
                    expiresAtWall = expiry;
                    generator = newGenerator(node, candidate);
                    w.timeline(node, "takes worker " + candidate + ", lease until its wall clock reads " + expiry);
                    node.later(windowMillis * 1_000_000 / 3, this::renew);
                } else {
                    acquire(candidate + 1);
                }
            }, () -> retry(() -> acquire(0)));
        }

        private void renew() {
            if (dead || worker < 0) {
                return;
            }
            final World w = node.world();
            final long expiry = node.clock().wallMillis() + windowMillis;
            final long held = worker;
            client.call(true, () -> w.zk().set("q/" + held, expiry), ok -> {
                if (ok) {
                    expiresAtWall = expiry;
                    node.later(windowMillis * 1_000_000 / 3, this::renew);
                } else {
                    halt();
                }
            }, this::halt);
        }

        private void halt() {
            generator = null;
            worker = -1;
            node.world().timeline(node, "a renewal failed: halts and looks for a worker again");
            acquire(0);
        }

        @Override
        public SnowflakeGenerator generator() {
            // The holder checks its lease by its own clock, then mints (a pause in between is the flaw).
            return dead || generator == null || node.clock().wallMillis() >= expiresAtWall ? null : generator;
        }

        @Override
        public void lost() {
            halt();
        }
    }

    /**
     * {@code leaf-like}: Meituan Leaf's snowflake mode. The worker is keyed by the node's address, assigned
     * once in ZooKeeper; the node uploads its clock every 3 s and checks it only at start, refusing to
     * start when its clock reads behind the last upload. A restart whose clock stepped back by less than
     * the time since the last upload, or a twin with the same address, collides.
     */
    private static final class LeafLike extends WithSession {
        private static final long UPLOAD_NANOS = 3_000_000_000L;

        LeafLike(SimNode node) {
            super(node);
            start();
        }

        private void start() {
            if (dead) {
                return;
            }
            final World w = node.world();
            final String key = "leaf/" + node.name();
            final long myWall = node.clock().wallMillis();
            client.call(true, () -> {
                ZooKeeperSim.Znode assigned = w.zk().get(key);
                if (assigned == null) {
                    final long next = w.zk().under("leaf/").size();
                    if (next >= w.layout().workerCapacity()) {
                        return -2L; // the pool is full: this address gets no worker
                    }
                    w.zk().create(key, new long[] {next, myWall}, 0);
                    assigned = w.zk().get(key);
                }
                final long[] v = (long[]) assigned.data;
                return myWall < v[1] ? -1L : v[0];
            }, worker -> {
                if (worker < 0) {
                    w.timeline(node, worker == -1 ? "refuses to start: its clock reads behind its last uploaded "
                            + "timestamp" : "gets no worker: every worker ID is assigned to another address");
                    node.later(UPLOAD_NANOS, this::start);
                    return;
                }
                generator = newGenerator(node, worker);
                w.timeline(node, "mints as worker " + worker + " (keyed by its address)");
                node.later(UPLOAD_NANOS, this::upload);
            }, () -> retry(this::start));
        }

        private void upload() {
            if (dead) {
                return;
            }
            final World w = node.world();
            final String key = "leaf/" + node.name();
            final long myWall = node.clock().wallMillis();
            client.call(true, () -> {
                final ZooKeeperSim.Znode z = w.zk().get(key);
                return z != null && w.zk().set(key, new long[] {((long[]) z.data)[0], myWall});
            }, ok -> node.later(UPLOAD_NANOS, this::upload), () -> node.later(UPLOAD_NANOS, this::upload));
        }

    }
}
