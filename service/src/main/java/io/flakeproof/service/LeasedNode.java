package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.GeneratorStats;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseStatus;
import io.flakeproof.registry.CuratorLease;
import io.flakeproof.registry.EmbeddedZooKeeper;
import io.flakeproof.registry.LeaseSettings;
import io.flakeproof.registry.RegistryPaths;
import io.flakeproof.registry.ZooKeeperClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node whose worker ID is leased from ZooKeeper: a real ensemble when a connect string is given,
 * otherwise an {@link EmbeddedZooKeeper} on loopback whose data directory outlives the process
 * (the records, and so the ceilings, survive restarts).
 *
 * <p>Health: UNAVAILABLE when it cannot mint (no lease, the acknowledged ceiling reached, the clock
 * offset beyond its bound, the layout's tick field spent); DEGRADED while it can mint but renewals
 * are failing, the clock offset is over half its bound, sequence utilization over the last second
 * is above 80% (the load balancer's back-pressure signal), or the layout has less than a year left.
 */
public final class LeasedNode implements IdNode, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeasedNode.class);

    /** Utilization above this is DEGRADED: the load balancer should send less. */
    static final double UTILIZATION_DEGRADED = 0.8;

    private static final Duration ONE_YEAR = Duration.ofDays(365);

    private final BitLayout layout;
    private final Clock clock;
    private final LeaseSettings settings;
    private final EmbeddedZooKeeper embedded;
    private final CuratorFramework client;
    private final CuratorLease lease;
    private final MintedCounter minted;
    /** While set, {@link #health} says WARMING with this reason: the node is exercising its request path. */
    private volatile String warming;
    /** Takes the minted-count samples that utilization is measured against. */
    private final ScheduledExecutorService sampler;
    private final WorkerPool workerPool;

    private LeasedNode(BitLayout layout, Clock clock, LeaseSettings settings, EmbeddedZooKeeper embedded,
            CuratorFramework client, CuratorLease lease) {
        this.layout = layout;
        this.clock = clock;
        this.settings = settings;
        this.embedded = embedded;
        this.client = client;
        this.lease = lease;
        this.minted = new MintedCounter(clock, lease::generators);
        this.workerPool = new WorkerPool(client, new RegistryPaths(settings.cluster()), settings.datacenterId(), clock);
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "flakeproof-utilization");
            t.setDaemon(true);
            return t;
        });
        final long period = MintedCounter.SAMPLE_PERIOD.toNanos();
        sampler.scheduleAtFixedRate(() -> {
            try {
                minted.sample();
            } catch (RuntimeException e) {
                // A throwing task would end the schedule for good; one bad sample must not.
                LOG.warn("could not sample the minted count: {}", e.toString());
            }
        }, 0, period, TimeUnit.NANOSECONDS);
    }

    /**
     * Connects (or starts the embedded ZooKeeper), checks the cluster's layout and leases a worker.
     *
     * @param zookeeper    {@code host:port,...} of an ensemble, or null for the embedded server
     * @param dataDir      the embedded server's data directory (ignored with an ensemble)
     * @param embeddedPort the embedded server's port on 127.0.0.1 (0: any free port)
     * @throws io.flakeproof.registry.LeaseUnavailableException when no lease can be had; the message says why
     * @throws UncheckedIOException when the embedded server cannot start (data directory, port)
     */
    public static LeasedNode start(BitLayout layout, String zookeeper, Path dataDir, int embeddedPort,
            LeaseSettings settings, Duration sessionTimeout, Clock clock) {
        EmbeddedZooKeeper embedded = null;
        CuratorFramework client = null;
        try {
            String connect = zookeeper;
            if (connect == null) {
                embedded = EmbeddedZooKeeper.start(dataDir, embeddedPort, 200);
                connect = embedded.connectString();
            }
            client = ZooKeeperClients.start(connect, sessionTimeout);
            final CuratorLease lease = CuratorLease.start(client, layout, settings, clock);
            return new LeasedNode(layout, clock, settings, embedded, client, lease);
        } catch (IOException e) {
            closeQuietly(client, embedded);
            throw new UncheckedIOException("could not start the embedded ZooKeeper in " + dataDir + " on port "
                    + embeddedPort + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(client, embedded);
            throw e;
        }
    }

    /**
     * This node's name on the worker records: host and pid, for a person reading the registry. It need
     * not be unique: the lease adds a random nonce to every process start's identity.
     */
    public static String newHolderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "host";
        }
        final String pid = Long.toString(ManagementFactory.getRuntimeMXBean().getPid());
        final String name = host.replaceAll("[^A-Za-z0-9.-]", "-") + ":" + pid;
        return name.length() > LeaseCore.MAX_HOLDER_NAME ? name.substring(name.length() - LeaseCore.MAX_HOLDER_NAME) : name;
    }

    @Override
    public BitLayout layout() {
        return layout;
    }

    @Override
    public SnowflakeGenerator generator() {
        final SnowflakeGenerator current = lease.generator();
        if (current == null) {
            throw new MintRefusedException(MintRefusedException.Cause.LEASE_NOT_HELD,
                    "this node holds no worker lease yet: " + (lease.pendingReason().isEmpty()
                            ? lease.status().lastProblem() : lease.pendingReason()), 1000);
        }
        return current;
    }

    /**
     * Marks the node as warming up ({@code reason} non-null: {@code /health} says {@code warming},
     * answered 503) or ready (null).
     */
    public void warming(String reason) {
        this.warming = reason;
    }

    @Override
    public NodeHealth health() {
        final NodeHealth health = currentHealth();
        final String reason = warming;
        return reason == null ? health : health.warming(reason);
    }

    private NodeHealth currentHealth() {
        final LeaseStatus status = lease.status();
        final SnowflakeGenerator current = lease.generator();
        final double utilization = minted.utilizationOverLastSecond(layout.idsPerSecondPerWorker());
        final List<String> unavailable = new ArrayList<>();
        final List<String> degraded = new ArrayList<>();
        if (current == null || current.isSealed()) {
            unavailable.add("no worker lease is held");
        }
        if (status.offsetBeyondBound()) {
            unavailable.add("minting is suspended: the clock is " + status.clockOffsetMillis()
                    + " ms off ZooKeeper's, beyond the bound of " + settings.offsetBound().toMillis() + " ms");
        } else if (status.offsetKnown() && Math.abs(status.clockOffsetMillis()) * 2 > settings.offsetBound().toMillis()) {
            degraded.add("the clock is " + status.clockOffsetMillis() + " ms off ZooKeeper's, over half the bound of "
                    + settings.offsetBound().toMillis() + " ms");
        }
        final long remaining = current == null ? 0
                : Math.max(0, layout.startMillisOf(current.lease().ceilingTick() + 1) - clock.wallMillis());
        if (current != null && remaining == 0) {
            unavailable.add("the lease's acknowledged ceiling is reached: ZooKeeper has not answered a renewal");
        } else if (status.phase() != LeaseCore.Phase.HELD || LeaseState.renewalOverdue(remaining, settings.window().toMillis())) {
            degraded.add("lease renewals are failing: " + (status.lastProblem().isEmpty() ? status.phase().toString()
                    : status.lastProblem()) + "; " + remaining + " ms of lease left");
        }
        final String pending = lease.pendingReason();
        if (!pending.isEmpty()) {
            degraded.add("a new term is not minting yet: " + pending);
        }
        if (layout.tickAt(clock.wallMillis()) > layout.maxTick()) {
            unavailable.add("the layout's tick field is spent since " + layout.overflowInstant());
        } else if (layout.overflowInstant().toEpochMilli() - clock.wallMillis() < ONE_YEAR.toMillis()) {
            degraded.add("the layout's tick field overflows at " + layout.overflowInstant() + ", in under a year");
        }
        if (utilization > UTILIZATION_DEGRADED) {
            degraded.add(String.format("sequence utilization over the last second is %.0f%%, above %.0f%%",
                    utilization * 100, UTILIZATION_DEGRADED * 100));
        }
        final NodeHealth.Status overall = !unavailable.isEmpty() ? NodeHealth.Status.UNAVAILABLE
                : !degraded.isEmpty() ? NodeHealth.Status.DEGRADED : NodeHealth.Status.OK;
        final List<String> reasons = new ArrayList<>(unavailable);
        reasons.addAll(degraded);
        return new NodeHealth(overall, status.workerId(), settings.datacenterId(), status.clusterId(),
                status.offsetKnown() ? status.clockOffsetMillis() : null, remaining, utilization, layout,
                layout.overflowInstant(), reasons, operations(status));
    }

    /** The figures for operators and alerts: lease state, configured bounds, layout time left, worker pool. */
    public NodeHealth.Operations operations() {
        return operations(lease.status());
    }

    private NodeHealth.Operations operations(LeaseStatus status) {
        final WorkerPool.Reading pool = workerPool.reading();
        return new NodeHealth.Operations(settings.cluster(), LeaseState.of(status, settings.window().toMillis()),
                settings.offsetBound().toMillis(), settings.window().toMillis(), settings.driftPolicy(),
                (layout.overflowInstant().toEpochMilli() - clock.wallMillis()) / 1000,
                pool == null ? null : new NodeHealth.Pool(settings.datacenterId(), layout.workerCapacity(), pool.held(),
                        workerPool.ageSeconds(pool)));
    }

    /** The lease shell: its status, the fleet's layout record, lost terms. */
    public CuratorLease lease() {
        return lease;
    }

    /** Generator counters summed over every term of this node, retired generators included. */
    public GeneratorStats generatorStats() {
        return minted.stats();
    }

    /** The Curator client, for metrics and tests. */
    CuratorFramework client() {
        return client;
    }

    /** The connect string in use, and whether it is the embedded server. */
    public String zookeeperDescription() {
        return embedded == null ? client.getZookeeperClient().getCurrentConnectionString()
                : "embedded at " + embedded.connectString() + " (data in " + embedded.dataDir() + ")";
    }

    public DriftPolicy driftPolicy() {
        return settings.driftPolicy();
    }

    /** Seals the generator, releases the lease (the worker is reusable at once), closes ZooKeeper. */
    @Override
    public void close() {
        sampler.shutdownNow();
        workerPool.close();
        try {
            lease.close();
        } finally {
            closeQuietly(client, embedded);
        }
    }

    private static void closeQuietly(CuratorFramework client, EmbeddedZooKeeper embedded) {
        if (client != null) {
            client.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
