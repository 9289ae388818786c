package io.flakeproof.registry;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseStatus;
import io.flakeproof.generator.lease.LeaseTerm;
import io.flakeproof.generator.lease.StoreResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Curator shell of the {@link LeaseCore}: runs the core on one thread, turns its commands into
 * ZooKeeper operations, feeds the results and Curator's connection states back
 * (SUSPENDED -> suspended, RECONNECTED -> reconnected, LOST -> session lost), wakes it for renewals,
 * and keeps a {@link SnowflakeGenerator} on the current lease term.
 *
 * <p>Lifecycle: {@link #start} checks the cluster's layout record (creating it on first use; a node
 * whose layout differs refuses with both layouts in the message), creates the pool folders, and
 * waits for the first term. {@link #close} seals the generator, lowers the record's ceiling to the
 * last minted tick, deletes the owner, and stops the thread.
 *
 * <p>Generators: each granted term gets a new generator on its lease; the previous one is sealed.
 * A lost term's generator stays in service, minting up to its acknowledged ceiling, until the next
 * term is granted.
 */
public final class CuratorLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CuratorLease.class);

    /** The longest {@link #close} waits for the release to be acknowledged. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

    private final CuratorFramework client;
    private final BitLayout layout;
    private final LeaseSettings settings;
    private final Clock clock;
    private final RegistryPaths paths;
    private final FleetLayout fleet;
    private final ScheduledExecutorService thread;
    private final LeaseCore core;
    private final CuratorLeaseStore store;

    private final AtomicReference<SnowflakeGenerator> generator = new AtomicReference<>();
    /** Every generator put in service, oldest first: added before it can mint, so counts never go back. */
    private final List<SnowflakeGenerator> generators = new CopyOnWriteArrayList<>();
    private final CompletableFuture<LeaseTerm> firstGrant = new CompletableFuture<>();
    private final CompletableFuture<LeaseCommand.Released> released = new CompletableFuture<>();
    private final LongAdder lostTerms = new LongAdder();
    private volatile LeaseStatus status;
    private ScheduledFuture<?> wake;
    /** A granted term waiting for its first acknowledged renewal, or for the clock to pass its floor. */
    private volatile LeaseTerm pendingTerm;
    /** Why {@link #pendingTerm} is not in service yet; empty when there is none. */
    private volatile String pendingReason = "";
    /** Monotonic time at which the pending term's floor will be behind the clock; MAX_VALUE when none. */
    private long installAtNanos = Long.MAX_VALUE;
    private volatile boolean closed;

    /**
     * Where tests inject store faults between the core and ZooKeeper: an operation withheld (never
     * sent, answered UNKNOWN: "dropped in flight"), a result replaced (an acknowledgement lost), or a
     * result held back until {@link #deliverHeldResults()} (a slow reply).
     */
    interface Faults {
        Faults NONE = new Faults() { };

        /** Whether to send {@code op} to ZooKeeper; when not, it is answered UNKNOWN. */
        default boolean send(LeaseCommand.StoreOp op) {
            return true;
        }

        /** The result the core sees for {@code op}. */
        default StoreResult result(LeaseCommand.StoreOp op, StoreResult actual) {
            return actual;
        }

        /** Whether to hold {@code op}'s result back until {@link #deliverHeldResults()}. */
        default boolean hold(LeaseCommand.StoreOp op) {
            return false;
        }
    }

    /** Results held back by {@link Faults#hold}, in arrival order; touched only on the lease thread. */
    private final List<Runnable> heldResults = new ArrayList<>();

    private final Faults faults;
    /** Operations in flight, kept only while faults are injected so results can be matched to them. */
    private final Map<Long, LeaseCommand.StoreOp> inFlight = new HashMap<>();

    private CuratorLease(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock,
            FleetLayout fleet, Faults faults) {
        this.faults = faults;
        this.client = client;
        this.layout = layout;
        this.settings = settings;
        this.clock = clock;
        this.paths = new RegistryPaths(settings.cluster());
        this.fleet = fleet;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "flakeproof-lease-" + settings.cluster());
            t.setDaemon(true);
            return t;
        });
        this.core = new LeaseCore(layout, settings.datacenterId(), settings.holder(), clock, settings.window(),
                settings.offsetBound(), settings.retryDelay());
        this.store = new CuratorLeaseStore(client, paths, thread, (op, result) -> onResult(op, result));
        this.status = core.status();
    }

    /**
     * Checks the cluster's layout, then acquires a worker and waits for its first term.
     *
     * @param client a started Curator client whose retry policy does not retry ({@code RetryNTimes(0, 0)})
     * @throws LeaseUnavailableException when ZooKeeper cannot be reached, the layout differs, the pool is
     *                                   exhausted, or no term was granted within the startup timeout
     */
    public static CuratorLease start(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock) {
        return start(client, layout, settings, clock, Faults.NONE);
    }

    static CuratorLease start(CuratorFramework client, BitLayout layout, LeaseSettings settings, Clock clock,
            Faults faults) {
        Objects.requireNonNull(client, "client");
        layout.requireDatacenter(settings.datacenterId());
        final FleetLayout fleet = ensureLayout(client, layout, settings);
        final CuratorLease lease = new CuratorLease(client, layout, settings, clock, fleet, faults);
        lease.begin();
        try {
            lease.firstGrant.get(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lease.shutdownThread();
            final LeaseTerm claimed = lease.pendingTerm;
            throw new LeaseUnavailableException("no worker ID was granted within " + settings.startupTimeout().toMillis()
                    + " ms: " + (claimed == null ? lease.status.lastProblem() : "worker " + claimed.workerId()
                    + " was claimed with floor tick " + claimed.floorTick() + " but no renewal raised its ceiling above it"
                    + (lease.status.lastProblem().isEmpty() ? "" : " (" + lease.status.lastProblem() + ")")));
        } catch (ExecutionException e) {
            lease.shutdownThread();
            throw (LeaseUnavailableException) e.getCause();
        } catch (InterruptedException e) {
            lease.shutdownThread();
            Thread.currentThread().interrupt();
            throw new LeaseUnavailableException("interrupted while waiting for a worker ID");
        }
        return lease;
    }

    private static FleetLayout ensureLayout(CuratorFramework client, BitLayout layout, LeaseSettings settings) {
        final RegistryPaths paths = new RegistryPaths(settings.cluster());
        final long timeoutMs = settings.startupTimeout().toMillis();
        try {
            if (!client.blockUntilConnected((int) timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new LeaseUnavailableException("could not connect to ZooKeeper at "
                        + client.getZookeeperClient().getCurrentConnectionString() + " within " + timeoutMs + " ms");
            }
            final FleetLayout mine = new FleetLayout(layout, UUID.randomUUID().toString());
            FleetLayout fleet;
            try {
                client.create().creatingParentsIfNeeded().forPath(paths.layout(), mine.toBytes());
                fleet = mine;
                LOG.info("cluster '{}' created with layout {} (cluster id {})", settings.cluster(), layout.describe(),
                        mine.clusterId());
            } catch (KeeperException.NodeExistsException e) {
                fleet = FleetLayout.fromBytes(client.getData().forPath(paths.layout()));
            }
            if (!fleet.layout().equals(layout)) {
                throw new LeaseUnavailableException("cluster '" + settings.cluster() + "' uses layout "
                        + describe(fleet.layout()) + "; this node is configured with " + describe(layout)
                        + ": two layouts in one fleet can collide, so this node refuses to start");
            }
            for (String folder : List.of(paths.workers(settings.datacenterId()), paths.owners(settings.datacenterId()))) {
                try {
                    client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(folder);
                } catch (KeeperException.NodeExistsException e) {
                    // created by another node: fine
                }
            }
            return fleet;
        } catch (LeaseUnavailableException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseUnavailableException("interrupted while checking the cluster layout");
        } catch (Exception e) {
            throw new LeaseUnavailableException("could not check the cluster layout at " + paths.layout() + ": " + e);
        }
    }

    private static String describe(BitLayout layout) {
        return layout.bits() + " with " + layout.tickMillis() + " ms ticks from " + layout.epoch();
    }

    private void begin() {
        client.getConnectionStateListenable().addListener((c, state) -> onConnectionState(state), thread);
        thread.execute(() -> handle(core.start()));
    }

    // ---- on the lease thread ----

    private void onConnectionState(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> handle(core.onSuspended());
            case RECONNECTED -> handle(core.onReconnected());
            case LOST -> handle(core.onSessionLost());
            default -> { }
        }
    }

    private void onResult(long op, StoreResult result) {
        final LeaseCommand.StoreOp sent = faults == Faults.NONE ? null : inFlight.remove(op);
        if (sent != null && faults.hold(sent)) {
            heldResults.add(() -> handle(core.onResult(op, faults.result(sent, result))));
            return;
        }
        handle(core.onResult(op, sent == null ? result : faults.result(sent, result)));
    }

    /** How many results {@link Faults#hold} holds back now. */
    int heldResultCount() {
        final int[] count = new int[1];
        runOnThread(() -> count[0] = heldResults.size());
        return count[0];
    }

    /** Hands the held-back results to the core, in the order they arrived. */
    void deliverHeldResults() {
        runOnThread(() -> {
            final List<Runnable> due = new ArrayList<>(heldResults);
            heldResults.clear();
            due.forEach(Runnable::run);
        });
    }

    private void send(LeaseCommand.StoreOp op) {
        if (faults == Faults.NONE) {
            op.sendTo(store);
        } else if (faults.send(op)) {
            inFlight.put(op.op(), op);
            op.sendTo(store);
        } else {
            thread.execute(() -> onResult(op.op(), unknown(op)));
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
        return StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, detail);
    }

    private void handle(List<LeaseCommand> commands) {
        for (LeaseCommand command : commands) {
            if (command instanceof LeaseCommand.StoreOp op) {
                send(op);
            } else if (command instanceof LeaseCommand.Granted granted) {
                pendingTerm = granted.term();
                LOG.info("claimed worker {} in datacenter {} (holder epoch {}, floor tick {})", pendingTerm.workerId(),
                        pendingTerm.datacenterId(), pendingTerm.holderEpoch(), pendingTerm.floorTick());
            } else if (command instanceof LeaseCommand.Lost lost) {
                lostTerms.increment();
                if (lost.term().equals(pendingTerm)) {
                    // Lost before it went into service: nothing to install.
                    pendingTerm = null;
                    pendingReason = "";
                }
                LOG.warn("lease of worker {} lost: {}; minting continues up to tick {}, then stops until a new "
                        + "lease is granted", lost.term().workerId(), lost.reason(), lost.term().lease().ceilingTick());
            } else if (command instanceof LeaseCommand.Released r) {
                released.complete(r);
            } else if (command instanceof LeaseCommand.AcquireFailed failed) {
                LOG.warn("could not lease a worker: {}", failed.reason());
                if (failed.reason().startsWith("worker pool exhausted") && !firstGrant.isDone()) {
                    firstGrant.completeExceptionally(new LeaseUnavailableException(failed.reason()));
                }
            }
        }
        installWhenMintable();
        status = core.status();
        scheduleWake();
    }

    /**
     * Puts a new term's generator in service once a renewal raised its ceiling above its floor and
     * the clock has come close enough to the floor that it can mint at once; until then the previous
     * (lost) term's generator goes on up to its own ceiling. A floor ahead of the clock is the previous
     * holder's ceiling, at most one lease window away: the term waits for it here, on the lease
     * thread, rather than in the generator, whose drift policy is for clocks that step back and would
     * refuse a wait that long as a clock fault.
     */
    private void installWhenMintable() {
        installAtNanos = Long.MAX_VALUE;
        if (closed) {
            // Never after close: the release may already have lowered the record below what this
            // term's lease allows, and the next holder starts there.
            pendingTerm = null;
            pendingReason = "";
            return;
        }
        final LeaseTerm term = pendingTerm;
        if (term == null) {
            return;
        }
        if (term.lease().acknowledgedCeilingTick() <= term.floorTick()) {
            pendingReason = "worker " + term.workerId() + " was claimed with floor tick " + term.floorTick()
                    + " but no renewal raised its ceiling above it yet";
            return;
        }
        final long behindMillis =
                millisUntilMintable(layout, settings.driftPolicy(), term.floorTick(), clock.wallMillis());
        if (behindMillis > 0) {
            pendingReason = "worker " + term.workerId() + " was claimed with floor tick " + term.floorTick()
                    + " (the previous holder's ceiling); it mints once the clock reaches it, in " + behindMillis
                    + " ms";
            installAtNanos = clock.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(behindMillis);
            return;
        }
        pendingTerm = null;
        pendingReason = "";
        final SnowflakeGenerator next = new SnowflakeGenerator(layout, term.lease(), clock, settings.driftPolicy());
        generators.add(next);
        final SnowflakeGenerator previous = generator.getAndSet(next);
        if (previous != null) {
            previous.seal();
        }
        LOG.info("minting as worker {} in datacenter {} above tick {}", term.workerId(), term.datacenterId(),
                term.floorTick());
        firstGrant.complete(term);
    }

    /**
     * How long until a generator whose state starts at {@code floorTick} can mint its first tick
     * without waiting: until the clock reaches that tick, less the lead the policy allows (ABSORB
     * mints up to its tolerance ahead of the clock). Installing a new term then, rather than when the
     * clock has passed the floor, lets it take over from a lost term's generator, which stops at the
     * same tick, without a gap. Zero or less: now.
     */
    static long millisUntilMintable(BitLayout layout, DriftPolicy policy, long floorTick, long nowMillis) {
        final long leadTicks = policy.tolerance().toMillis() / layout.tickMillis();
        return layout.startMillisOf(floorTick + 1 - leadTicks) - nowMillis;
    }

    private void scheduleWake() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
        final long at = Math.min(core.nextWakeNanos(), installAtNanos);
        if (at != Long.MAX_VALUE && !closed) {
            final long delay = Math.max(0, at - clock.monotonicNanos());
            wake = thread.schedule(() -> handle(core.onWake()), delay, TimeUnit.NANOSECONDS);
        }
    }

    // ---- for callers ----

    /** The generator of the current term. It refuses once its term's ceiling is reached unrenewed. */
    public SnowflakeGenerator generator() {
        return generator.get();
    }

    /**
     * Why a granted term is not minting yet (its ceiling not yet raised above its floor, or the clock
     * not yet past the floor); empty when no term is waiting.
     */
    public String pendingReason() {
        return pendingReason;
    }

    /**
     * Every generator this lease has put in service, oldest first: one per term, all but the current
     * one sealed. For counters that must cover every term, including one replaced between readings.
     */
    public List<SnowflakeGenerator> generators() {
        return Collections.unmodifiableList(generators);
    }

    /** The latest reading of the lease core. */
    public LeaseStatus status() {
        return status;
    }

    /** The fleet's layout record as found (or created) at start. */
    public FleetLayout fleetLayout() {
        return fleet;
    }

    /** Terms lost since start. */
    public long lostTerms() {
        return lostTerms.sum();
    }

    /**
     * Runs the core's timers now rather than at their scheduled time: for a clock that is not the
     * system's (tests, manual clocks), whose time the scheduler cannot see pass.
     */
    public void wakeNow() {
        runOnThread(() -> handle(core.onWake()));
    }

    private void runOnThread(Runnable task) {
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
            thread.submit(() -> {
                pendingTerm = null;
                final SnowflakeGenerator current = generator.get();
                final long sealedAt = current == null ? -1 : current.seal();
                // The release lowers the current term's record; if that term's generator was never
                // installed (the one in service belongs to a lost term), it minted nothing above its floor.
                final LeaseTerm term = core.term();
                final long last = term != null && current != null && current.lease() == term.lease()
                        ? sealedAt : term == null ? -1 : term.floorTick();
                handle(core.release(last));
                if (core.phase() == LeaseCore.Phase.CLOSED && !released.isDone()) {
                    released.complete(null);
                }
            }).get(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            final LeaseCommand.Released r = released.get(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r != null) {
                LOG.info("released worker {} with ceiling tick {}{}", r.term().workerId(), r.ceilingTick(),
                        r.recordLowered() ? "" : " (ceiling not lowered: ZooKeeper did not acknowledge)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("release did not complete: {}; the worker's ceiling stays where it was (safe)", e.toString());
        } finally {
            shutdownThread();
        }
    }

    private void shutdownThread() {
        thread.shutdownNow();
    }
}
