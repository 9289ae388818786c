package io.flakeproof.registry;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.lease.ClusterPolicy;
import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseHolder;
import io.flakeproof.generator.lease.LeaseStatus;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.LeaseTerm;
import io.flakeproof.generator.lease.StoreResult;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Curator shell of the {@link LeaseHolder}: it runs the holder on one thread, sends the store
 * operations it asks for through a {@link CuratorLeaseStore}, feeds back their results and Curator's
 * connection states (SUSPENDED -> suspended, RECONNECTED -> reconnected, LOST -> session lost),
 * wakes it when it asks, keeps the joined cluster's id on disk, and logs. It decides nothing about
 * safety: which generator mints, when a term goes into service, what a release lowers, whether a
 * registry is the node's own, all of it is the holder's and its core's, which the simulator drives
 * the same way.
 *
 * <p>Lifecycle: {@link #start} connects and waits for the first term in service (or a refusal);
 * {@link #close} seals the generator, lowers the record's ceiling to the last minted tick, deletes
 * the owner, and stops the thread.
 */
public final class CuratorLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CuratorLease.class);

    /** The longest {@link #close} waits for the release to be acknowledged. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

    private final LeaseSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final LeaseHolder holder;
    private final LeaseStore store;

    private final CompletableFuture<LeaseTerm> firstInService = new CompletableFuture<>();
    private final CompletableFuture<LeaseCommand.Released> released = new CompletableFuture<>();
    private final LongAdder lostTerms = new LongAdder();
    private ScheduledFuture<?> wake;
    private String lastFailure = "";
    private volatile boolean closed;

    private CuratorLease(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock,
            CuratorLeaseStore.Factory stores) {
        this.settings = settings;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "flakeproof-lease-" + settings.cluster());
            t.setDaemon(true);
            return t;
        });
        final ClusterPolicy cluster = new ClusterPolicy(settings.cluster(), ClusterIdFile.read(settings.clusterIdFile()),
                settings.newCluster());
        final LeaseCore core = new LeaseCore(layout, settings.datacenterId(), settings.holder(), clock,
                new SecureRandom(), settings.window(), settings.offsetBound(), settings.retryDelay(), cluster);
        this.holder = new LeaseHolder(layout, core, clock, settings.driftPolicy());
        this.store = stores.open(client, new RegistryPaths(settings.cluster()), thread, this::onResult);
    }

    /**
     * Checks the cluster, then acquires a worker and waits for its first term in service.
     *
     * @param client a started Curator client whose retry policy does not retry ({@code RetryNTimes(0, 0)})
     * @throws LeaseUnavailableException when ZooKeeper cannot be reached, the registry is not this node's
     *                                   cluster or has another layout, the pool is exhausted, or no term
     *                                   went into service within the startup timeout
     */
    public static CuratorLease start(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock) {
        return start(client, layout, settings, clock, CuratorLeaseStore::new);
    }

    /** As {@link #start(CuratorFramework, BitLayout, LeaseSettings, Clock)}, on stores from {@code stores} (tests inject faults). */
    static CuratorLease start(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock,
            CuratorLeaseStore.Factory stores) {
        Objects.requireNonNull(client, "client");
        layout.requireDatacenter(settings.datacenterId());
        final long timeoutMs = settings.startupTimeout().toMillis();
        try {
            if (!client.blockUntilConnected((int) timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new LeaseUnavailableException("could not connect to ZooKeeper at "
                        + client.getZookeeperClient().getCurrentConnectionString() + " within " + timeoutMs + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseUnavailableException("interrupted while connecting to ZooKeeper");
        }
        final CuratorLease lease = new CuratorLease(client, layout, settings, clock, stores);
        client.getConnectionStateListenable().addListener((c, state) -> lease.onConnectionState(state), lease.thread);
        lease.thread.execute(() -> lease.handle(lease.holder.start()));
        try {
            lease.firstInService.get(timeoutMs, TimeUnit.MILLISECONDS);
            return lease;
        } catch (TimeoutException e) {
            lease.thread.shutdownNow();
            final String why = lease.holder.pendingReason().isEmpty() ? lease.status().lastProblem()
                    : lease.holder.pendingReason();
            throw new LeaseUnavailableException("no worker ID was in service within " + timeoutMs + " ms: " + why);
        } catch (ExecutionException e) {
            lease.thread.shutdownNow();
            throw (LeaseUnavailableException) e.getCause();
        } catch (InterruptedException e) {
            lease.thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new LeaseUnavailableException("interrupted while waiting for a worker ID");
        }
    }

    // ---- on the lease thread ----

    private void onConnectionState(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> handle(holder.onSuspended());
            case RECONNECTED -> handle(holder.onReconnected());
            case LOST -> handle(holder.onSessionLost());
            default -> { }
        }
    }

    private void onResult(long op, StoreResult result) {
        handle(holder.onResult(op, result));
    }

    private void handle(List<LeaseCommand> commands) {
        for (LeaseCommand command : commands) {
            if (command instanceof LeaseCommand.StoreOp op) {
                op.sendTo(store);
            } else if (command instanceof LeaseCommand.ClusterJoined joined) {
                keepClusterId(joined.record(), joined.created());
            } else if (command instanceof LeaseCommand.Granted granted) {
                final LeaseTerm t = granted.term();
                LOG.info("claimed worker {} in datacenter {} (holder epoch {}, floor tick {})", t.workerId(),
                        t.datacenterId(), t.holderEpoch(), t.floorTick());
            } else if (command instanceof LeaseCommand.InService in) {
                LOG.info("minting as worker {} in datacenter {} above tick {}", in.term().workerId(),
                        in.term().datacenterId(), in.term().floorTick());
                firstInService.complete(in.term());
            } else if (command instanceof LeaseCommand.Lost lost) {
                lostTerms.increment();
                LOG.warn("lease of worker {} lost: {}; minting continues up to tick {}, then stops until a new "
                        + "lease is granted", lost.term().workerId(), lost.reason(), lost.term().lease().ceilingTick());
            } else if (command instanceof LeaseCommand.Released r) {
                released.complete(r);
            } else if (command instanceof LeaseCommand.AcquireFailed failed) {
                onAcquireFailed(failed);
            }
        }
        scheduleWake();
    }

    private void keepClusterId(ClusterRecord cluster, boolean created) {
        if (settings.clusterIdFile() != null) {
            try {
                ClusterIdFile.write(settings.clusterIdFile(), cluster.clusterId());
            } catch (IOException e) {
                firstInService.completeExceptionally(new LeaseUnavailableException("could not keep the cluster id in "
                        + settings.clusterIdFile() + ": " + e));
            }
        }
        if (!created) {
            LOG.info("joined cluster '{}' (cluster id {})", settings.cluster(), cluster.clusterId());
        } else if (cluster.floorTick() == 0) {
            LOG.info("cluster '{}' created with layout {} (cluster id {})", settings.cluster(),
                    cluster.layout().describe(), cluster.clusterId());
        } else {
            LOG.warn("cluster '{}' re-created (cluster id {}): every worker starts above tick {}, this node's clock "
                    + "plus the lease window, twice the offset bound and a second, past anything a holder of the old registry could "
                    + "still mint", settings.cluster(), cluster.clusterId(), cluster.floorTick());
        }
    }

    private void onAcquireFailed(LeaseCommand.AcquireFailed failed) {
        if (!failed.reason().equals(lastFailure)) {
            LOG.warn("could not lease a worker: {}", failed.reason());
            lastFailure = failed.reason();
        }
        final boolean waitingWillNotHelp = failed.failure() == LeaseCommand.Failure.CLUSTER_REFUSED
                || failed.failure() == LeaseCommand.Failure.POOL_EXHAUSTED;
        if (waitingWillNotHelp && !firstInService.isDone()) {
            firstInService.completeExceptionally(new LeaseUnavailableException(failed.reason()));
        }
    }

    private void scheduleWake() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        final long at = holder.nextWakeNanos();
        if (at != Long.MAX_VALUE && !closed) {
            final long delay = Math.max(0, at - clock.monotonicNanos());
            wake = thread.schedule(() -> handle(holder.onWake()), delay, TimeUnit.NANOSECONDS);
        }
    }

    // ---- for callers ----

    /** The generator in service. It refuses once its term's ceiling is reached unrenewed. */
    public SnowflakeGenerator generator() {
        return holder.generator();
    }

    /** Why a granted term is not minting yet; empty when no term is waiting. */
    public String pendingReason() {
        return holder.pendingReason();
    }

    /** Every generator put in service, oldest first (see {@link LeaseHolder#generators()}). */
    public List<SnowflakeGenerator> generators() {
        return holder.generators();
    }

    /** The latest reading of the lease core. */
    public LeaseStatus status() {
        return holder.status();
    }

    /** Terms lost since start. */
    public long lostTerms() {
        return lostTerms.sum();
    }

    /**
     * Runs the holder's timers now rather than at their scheduled time: for a clock that is not the
     * system's (tests, manual clocks), whose time the scheduler cannot see pass.
     */
    public void wakeNow() {
        onThread(() -> handle(holder.onWake()));
    }

    private void onThread(Runnable task) {
        try {
            thread.submit(task).get(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("lease thread did not run the task: " + e, e);
        }
    }

    /**
     * Graceful stop: seals the generator (no ID is minted after this returns), lowers the record's
     * ceiling to the last minted tick, deletes the owner so the worker is reusable at once, and stops
     * the lease thread. Waits at most 5 s for ZooKeeper; without it, the ceiling stays where it was,
     * which is safe. Does not close the Curator client. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            onThread(() -> {
                handle(holder.release());
                if (holder.core().phase() == LeaseCore.Phase.CLOSED && !released.isDone()) {
                    released.complete(null); // nothing held: nothing to lower
                }
            });
            final LeaseCommand.Released r = released.get(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r != null) {
                LOG.info("released worker {} with ceiling tick {}{}", r.term().workerId(), r.ceilingTick(),
                        r.recordLowered() ? "" : " (ceiling not lowered: ZooKeeper did not acknowledge)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            LOG.warn("release did not complete: {}; the worker's ceiling stays where it was (safe)", e.toString());
        } finally {
            thread.shutdownNow();
        }
    }
}
