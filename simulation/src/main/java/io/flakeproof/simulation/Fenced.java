package io.flakeproof.simulation;

import io.flakeproof.generator.Lease;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.lease.ClusterPolicy;
import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseHolder;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

/**
 * flakeproof's protocol: the real {@link LeaseCore} and {@link LeaseHolder}, driven exactly as the
 * Curator shell drives them, over the simulated ZooKeeper through the same {@link LeaseStore} port.
 * Each term's lease is wrapped so that a fault can stop a caller between the generator's ceiling
 * check and its CAS.
 *
 * <p>{@code fenced-no-cluster-check} is the same code with the cluster-identity check blinded: its
 * store shows the core the cluster it joined even after the ensemble was wiped, and its writes carry no
 * cluster fence, as the code before that check behaved. A negative control for the wipe.
 */
final class Fenced implements Protocol {

    private final boolean blindToWipes;

    Fenced(boolean blindToWipes) {
        this.blindToWipes = blindToWipes;
    }

    @Override
    public boolean fenced() {
        return true;
    }

    @Override
    public Process start(SimNode node) {
        return new FencedProcess(node, blindToWipes);
    }

    private static final class FencedProcess implements Process, ZkClient.Listener {
        private final SimNode node;
        private final World world;
        private final LeaseHolder holder;
        private final ZkClient client;
        private final boolean blindToWipes;
        /** The cluster this process saw, which a blinded cluster check keeps showing after a wipe. */
        private ClusterRecord seenCluster;
        /** Operations in flight, by tag: to tell how an unknown outcome was resolved (coverage). */
        private final TreeMap<Long, LeaseCommand.StoreOp> inFlight = new TreeMap<>();
        private long unknownToken;
        /** The last acquisition failure put on the timeline: repeats are left off. */
        private String lastFailure = "";
        private long wakeGeneration;
        private boolean dead;
        private Runnable onStopped;

        FencedProcess(SimNode node, boolean blindToWipes) {
            this.node = node;
            this.world = node.world();
            final Params p = world.params();
            final LeaseCore core = new LeaseCore(world.layout(), 0, node.name(), node.processClock(),
                    node.identityRandom(), Duration.ofMillis(p.windowMillis()), Duration.ofMillis(p.offsetBoundMillis()),
                    Duration.ofMillis(p.retryMillis()), new ClusterPolicy("sim", node.storedClusterId(), false));
            this.holder = new LeaseHolder(world.layout(), core, node.processClock(), p.policy(), this::wrap);
            this.client = new ZkClient(node, world, p.sessionTimeoutMillis() * 1_000_000, this::onResult, this,
                    blindToWipes);
            this.blindToWipes = blindToWipes;
            handle(holder.start());
        }

        private Lease wrap(Lease lease) {
            return new PausingLease(lease, node);
        }

        @Override
        public SnowflakeGenerator generator() {
            return dead ? null : holder.generator();
        }

        @Override
        public void crash() {
            dead = true;
            client.abandon();
        }

        /** The shell's close(): seal and release, then close the session, at most 5 s after it began. */
        @Override
        public void stop(Runnable stopped) {
            onStopped = stopped;
            node.later(5_000_000_000L, this::stopped);
            handle(holder.release());
            if (holder.core().phase() == LeaseCore.Phase.CLOSED) {
                stopped();
            }
        }

        private void stopped() {
            if (dead || onStopped == null) {
                return;
            }
            dead = true;
            client.close();
            onStopped.run();
        }

        @Override
        public void suspended() {
            handle(holder.onSuspended());
        }

        @Override
        public void reconnected() {
            handle(holder.onReconnected());
        }

        @Override
        public void lost() {
            world.timeline(node, "the session is judged lost (Curator's LOST)");
            handle(holder.onSessionLost());
        }

        private void onResult(long op, StoreResult answer) {
            if (dead) {
                return;
            }
            final StoreResult result = blindToWipes ? blind(answer) : answer;
            final LeaseCommand.StoreOp sent = inFlight.remove(op);
            if (result.kind() == StoreResult.Kind.UNKNOWN && sent instanceof LeaseCommand.Write w) {
                unknownToken = w.record().writeToken();
            } else if (unknownToken != 0 && result instanceof StoreResult.Read read && read.kind() == StoreResult.Kind.OK) {
                final WorkerRecord r = read.record();
                world.coverage().hit(r != null && r.writeToken() == unknownToken
                        ? Coverage.UNKNOWN_APPLIED : Coverage.UNKNOWN_NOT_APPLIED);
                unknownToken = 0;
            }
            handle(holder.onResult(op, result));
        }

        private void handle(List<LeaseCommand> commands) {
            if (dead) {
                return;
            }
            for (LeaseCommand c : commands) {
                if (c instanceof LeaseCommand.StoreOp op) {
                    inFlight.put(op.op(), op);
                    op.sendTo(client);
                } else if (c instanceof LeaseCommand.ClusterJoined joined) {
                    seenCluster = joined.record();
                    node.storeClusterId(joined.record().clusterId());
                    world.timeline(node, (joined.created() ? "creates" : "joins") + " cluster "
                            + joined.record().clusterId() + " (floor " + joined.record().floorTick() + ")");
                } else if (c instanceof LeaseCommand.Granted g) {
                    world.granted(node, g.term());
                } else if (c instanceof LeaseCommand.InService in) {
                    world.inService(node, in.term(), holder.generator());
                } else if (c instanceof LeaseCommand.Lost lost) {
                    world.timeline(node, "loses worker " + lost.term().workerId() + " epoch "
                            + lost.term().holderEpoch() + ": " + lost.reason() + "; mints up to tick "
                            + lost.term().lease().ceilingTick());
                } else if (c instanceof LeaseCommand.Released r) {
                    world.timeline(node, "releases worker " + r.term().workerId() + " epoch " + r.term().holderEpoch()
                            + (r.recordLowered() ? ", its ceiling lowered to tick " + r.ceilingTick()
                            : ", its ceiling left at tick " + r.ceilingTick()));
                    stopped();
                } else if (c instanceof LeaseCommand.AcquireFailed f && !f.reason().equals(lastFailure)) {
                    lastFailure = f.reason();
                    world.timeline(node, "cannot lease a worker (" + f.failure() + "): " + f.reason());
                }
            }
            scheduleWake();
        }

        /** A cluster read answered "none" after a cluster was seen shows the one seen, as if nothing was wiped. */
        private StoreResult blind(StoreResult result) {
            if (result instanceof StoreResult.ClusterRead read && read.kind() == StoreResult.Kind.OK
                    && read.record() == null && seenCluster != null) {
                return StoreResult.ClusterRead.ok(seenCluster);
            }
            return result;
        }

        private void scheduleWake() {
            final long at = holder.nextWakeNanos();
            if (at == Long.MAX_VALUE) {
                return;
            }
            final long generation = ++wakeGeneration;
            node.later(Math.max(0, at - node.clock().monotonicNanos()), () -> {
                if (generation == wakeGeneration) {
                    handle(holder.onWake());
                }
            });
        }
    }
}
