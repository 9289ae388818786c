package io.flakeproof.simulation;

import io.flakeproof.generator.Clock;
import io.flakeproof.generator.IdRange;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One node: a machine with its clocks and data directory (the cluster id it joined), the process
 * running on it (restarted after a crash with a new identity), and the requests its callers send.
 * Process states: running, paused (GC, SIGSTOP, VM suspend: its events wait until it resumes) and
 * crashed (its events are dropped; its session lingers on the server until it expires). The threads of
 * a process sleep through {@link #processClock()}: a stopped process's threads wake only once it runs
 * again, and a dead one's never ({@link #sleep}).
 */
final class SimNode {

    private enum Status { RUNNING, PAUSED, CRASHED }

    /**
     * Unwinds a thread whose process died or stopped while the thread slept: the thread is gone with its
     * process and does nothing more. Caught where the thread began (a caller's request).
     */
    static final class ProcessGone extends RuntimeException {
        ProcessGone() {
            super("the process ended while this thread slept", null, false, false);
        }
    }

    private final World world;
    private final int index;
    private final String name;
    private final SimClock clock;
    private final SplittableRandom workload;
    private final SplittableRandom identity;
    private String storedClusterId;
    private Status status = Status.RUNNING;
    /** Process starts so far: events of an earlier process are dropped. */
    private int generation;
    private final List<Runnable> backlog = new ArrayList<>();
    /** Requests that arrived while the process was paused, served when it resumes; the oldest time out. */
    private final List<Runnable> waitingRequests = new ArrayList<>();

    /** Requests a paused process holds at most: beyond, a caller gives up (its request counts as refused). */
    static final int MAX_WAITING_REQUESTS = 64;
    private Protocol.Process process;
    private long checkCasPause;
    private boolean stopping;
    boolean partitioned;
    boolean followerCut;

    /** The machine's clocks as this process reads them, with {@link #sleep} as their pause. */
    private final Clock processClock = new Clock() {
        @Override
        public long wallMillis() {
            return clock.wallMillis();
        }

        @Override
        public long monotonicNanos() {
            return clock.monotonicNanos();
        }

        @Override
        public void pause(long nanos) {
            sleep(nanos);
        }
    };

    SimNode(World world, int index, String name, SimClock clock, SplittableRandom random, String storedClusterId) {
        this.world = world;
        this.index = index;
        this.name = name;
        this.clock = clock;
        this.workload = random.split();
        this.identity = random.split();
        this.storedClusterId = storedClusterId;
    }

    World world() {
        return world;
    }

    int index() {
        return index;
    }

    /** The configured name: a host name; twins share it. */
    String name() {
        return name;
    }

    /** The machine's clocks, shared with a twin on the same host: for faults, timelines and the client. */
    SimClock clock() {
        return clock;
    }

    /** The clock this node's process (its lease core, holder and generators) is given. */
    Clock processClock() {
        return processClock;
    }

    /**
     * One of this process's threads sleeps for {@code nanos} (a generator waiting for its clock, a caller
     * descheduled between the ceiling check and the CAS) while the events due meanwhile run. The thread
     * wakes only on a running process: if its process is paused or its VM suspended when the time is
     * up, it sleeps on until the process resumes; if the process died or stopped meanwhile (a new
     * generation), it never wakes, and {@link ProcessGone} unwinds it.
     */
    void sleep(long nanos) {
        final int g = generation;
        final Sim sim = world.sim();
        if (nanos > 0) {
            sim.runUntil(sim.now() + nanos);
        }
        sim.runWhile(() -> g == generation && status == Status.PAUSED);
        if (g != generation) {
            throw new ProcessGone();
        }
    }

    /** The random source of this node's process identities and write tokens. */
    RandomGenerator identityRandom() {
        return identity;
    }

    String storedClusterId() {
        return storedClusterId;
    }

    void storeClusterId(String id) {
        storedClusterId = id;
    }

    Protocol.Process process() {
        return process;
    }

    // ---- running events on this node's process ----

    /** Runs {@code action} on the process now, later if it is paused, never if it crashed. */
    void deliver(Runnable action) {
        switch (status) {
            case RUNNING -> action.run();
            case PAUSED -> backlog.add(action);
            case CRASHED -> { }
        }
    }

    /** Runs {@code action} on this process after {@code delayNanos}, unless it has died by then. */
    void later(long delayNanos, Runnable action) {
        final int g = generation;
        world.sim().after(delayNanos, () -> {
            if (g == generation) {
                deliver(action);
            }
        });
    }

    void start() {
        process = world.protocol().start(this);
        world.timeline(this, "process starts (" + name + ")");
    }

    void startRequests() {
        scheduleRequest();
    }

    /** The process stops for {@code nanos}; events wait until it resumes. */
    void pause(long nanos, boolean vmSuspend) {
        if (status != Status.RUNNING) {
            return;
        }
        status = Status.PAUSED;
        if (vmSuspend) {
            clock.stall();
        }
        final int g = generation;
        world.sim().after(nanos, () -> {
            if (g == generation && status == Status.PAUSED) {
                if (vmSuspend) {
                    clock.unstall();
                }
                status = Status.RUNNING;
                world.timeline(this, "resumes");
                final List<Runnable> due = new ArrayList<>(backlog);
                backlog.clear();
                due.forEach(this::deliver);
                // The requests that waited are served concurrently, each by its own caller, as threads
                // woken together would be: each is an event of its own at the resume time.
                final List<Runnable> requests = new ArrayList<>(waitingRequests);
                waitingRequests.clear();
                requests.forEach(r -> later(0, r));
            }
        });
    }

    /** The process dies; after {@code downNanos} a new one starts, its clock stepped by {@code stepNanos}. */
    void crash(long downNanos, long stepNanos) {
        if (status == Status.CRASHED) {
            return;
        }
        process.crash();
        stopping = false;
        clock.unstall();
        downFor(downNanos, stepNanos);
    }

    /** The process is gone (its events are dropped); {@code downNanos} later a new one starts, the clock stepped. */
    private void downFor(long downNanos, long stepNanos) {
        status = Status.CRASHED;
        generation++;
        backlog.clear();
        waitingRequests.clear();
        final int g = generation;
        world.sim().after(downNanos, () -> {
            if (g == generation) {
                clock.step(stepNanos);
                status = Status.RUNNING;
                generation++;
                start();
            }
        });
    }

    /** The process stops gracefully; {@code downNanos} after it has stopped, a new one starts. */
    void restart(long downNanos) {
        if (status != Status.RUNNING || stopping) {
            return;
        }
        stopping = true;
        final Protocol.Process stoppingProcess = process;
        stoppingProcess.stop(() -> {
            stopping = false;
            if (process != stoppingProcess || status == Status.CRASHED) {
                return;
            }
            downFor(downNanos, 0);
        });
    }

    /** The next caller to read the lease's ceiling stops for {@code nanos} before its CAS. */
    void pauseNextCheckCas(long nanos) {
        checkCasPause = nanos;
    }

    long takeCheckCasPause() {
        final long p = checkCasPause;
        checkCasPause = 0;
        return p;
    }

    // ---- callers ----

    private void scheduleRequest() {
        final double mean = 1e9 / world.params().requestsPerSecond();
        final long gap = (long) (-Math.log(1 - workload.nextDouble()) * mean);
        world.sim().after(Math.max(1, gap), () -> {
            if (world.sim().now() < world.params().durationNanos()) {
                onRequest();
                scheduleRequest();
            }
        });
    }

    private void onRequest() {
        final int kind = workload.nextInt(10);
        final int count = kind < 5 ? 1 : 1 + workload.nextInt(world.params().maxBatch());
        final boolean ranges = kind == 9;
        world.checker().attempted(this);
        if (status == Status.CRASHED) {
            world.refused(this, "node down");
            return;
        }
        if (status == Status.PAUSED) {
            if (waitingRequests.size() == MAX_WAITING_REQUESTS) {
                world.refused(this, "timed out while the node was paused");
                return;
            }
            waitingRequests.add(() -> serve(count, ranges));
            return;
        }
        serve(count, ranges);
    }

    private void serve(int count, boolean ranges) {
        final SnowflakeGenerator g = process.generator();
        if (g == null) {
            world.refused(this, "no lease");
            return;
        }
        final long before = world.checker().begin(g);
        long[] ids;
        MintRefusedException refused = null;
        try {
            ids = ranges ? flatten(g.nextRanges(count)) : count == 1 ? new long[] {g.nextId()} : g.nextIds(count);
        } catch (MintRefusedException e) {
            refused = e;
            ids = e.mintedBeforeRefusal();
        } catch (ProcessGone e) {
            return; // the process died while this caller slept: the caller is gone, nothing is delivered
        }
        if (ids.length > 0) {
            world.minted(this, g, before, ids);
        }
        if (refused != null) {
            world.refusal(this, refused);
        }
    }

    private static long[] flatten(List<IdRange> ranges) {
        long n = 0;
        for (IdRange r : ranges) {
            n += r.count();
        }
        final long[] ids = new long[(int) n];
        int i = 0;
        for (IdRange r : ranges) {
            for (long k = 0; k < r.count(); k++) {
                ids[i++] = r.firstId() + k;
            }
        }
        return ids;
    }
}
