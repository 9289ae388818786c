package io.flakeproof.service;

import io.flakeproof.generator.Clock;
import io.flakeproof.registry.RegistryPaths;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool of this node's datacenter as the registry shows it: how many workers are held,
 * read every {@link #PERIOD} on a thread of its own, never on a request's or a scrape's path. A worker
 * is held while its owner node (ephemeral, see {@link RegistryPaths}) exists: one {@code getChildren}
 * of the datacenter's owners folder reads them all. A failed read keeps the previous reading, whose
 * age then grows: the age says how much to trust it.
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    /** How often the registry is read. */
    static final Duration PERIOD = Duration.ofSeconds(10);

    /**
     * One reading of the registry.
     *
     * @param held       workers with an owner: held by a live session
     * @param readNanos  when it was read, on the monotonic clock
     */
    record Reading(long held, long readNanos) {
    }

    private final CuratorFramework client;
    private final String ownersPath;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private volatile Reading reading;
    private String lastFailure = "";

    WorkerPool(CuratorFramework client, RegistryPaths paths, long datacenterId, Clock clock) {
        this.client = client;
        this.ownersPath = paths.owners(datacenterId);
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "flakeproof-worker-pool");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::read, 0, PERIOD.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The latest reading, or null before the first one succeeded. */
    Reading reading() {
        return reading;
    }

    /** Seconds since {@code reading} was taken. */
    double ageSeconds(Reading reading) {
        return (clock.monotonicNanos() - reading.readNanos()) / 1e9;
    }

    private void read() {
        try {
            long held;
            try {
                held = client.getChildren().forPath(ownersPath).size();
            } catch (KeeperException.NoNodeException e) {
                held = 0; // no worker of this datacenter was ever claimed
            }
            reading = new Reading(held, clock.monotonicNanos());
            lastFailure = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (Exception e) {
            // A throwing task would end the schedule for good; the next period tries again.
            if (!e.toString().equals(lastFailure)) {
                LOG.warn("could not read the worker pool at {}: {}", ownersPath, e.toString());
                lastFailure = e.toString();
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
