package io.flakeproof.simulation;

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
 * crashed (its events are dropped; its session lingers on the server until it expires).
 */
final class SimNode {

    private enum Status { RUNNING, PAUSED, CRASHED }

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

    SimClock clock() {
        return clock;
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
        final Protocol.Process serving = process;
        final SnowflakeGenerator g = serving.generator();
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
        }
        if (serving != process || status == Status.CRASHED) {
            return; // the process died while this caller waited: nothing is delivered
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
