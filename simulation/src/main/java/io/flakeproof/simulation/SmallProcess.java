package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import io.flakeproof.generator.lease.ClusterPolicy;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseHolder;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One process start in the explorer's world ({@link SmallWorld}), sans-IO: events in, store operations
 * out. {@code fenced} is the real {@link LeaseHolder} and {@link LeaseCore}, wired exactly as the
 * simulator and the Curator shell wire them; the others are the simulator's naive protocols that fit
 * the explorer's events, restated over its store value (negative controls, never used elsewhere).
 */
interface SmallProcess {

    /** A store operation in flight: its tag, and what it does to the store. */
    interface Op {
        long tag();

        /** Applies the operation sent on {@code session} at the registry's time {@code nowMillis}. */
        StoreState.Applied apply(StoreState store, int session, long nowMillis);

        /** The answer when the connection was lost with it in flight. */
        Object unknown();

        /** Whether applying it may change the store (a read's lost answer is the same as its loss). */
        default boolean writes() {
            return true;
        }

        /** For a timeline. */
        String describe();
    }

    /** Operations to send first. */
    List<Op> start();

    List<Op> onAnswer(long tag, Object answer);

    /** Whether the process wants {@link #onWake()} now (a timer due). */
    boolean due();

    List<Op> onWake();

    List<Op> onSuspended();

    List<Op> onReconnected();

    List<Op> onSessionLost();

    /** Graceful stop; {@link #finished()} tells when it is done. */
    List<Op> release();

    boolean finished();

    /** The generator that may mint now, or null. */
    SnowflakeGenerator generator();

    /** What the process holds, for the state key: every object whose fields decide its behaviour. */
    Object state();

    /** Whether the per-term floor and interval checks apply (a protocol with floors and ceilings). */
    boolean fenced();

    /**
     * Whether the process depends on its slot only through its name and draws, which it compares for
     * equality only: then a world with its slots' processes in another order behaves alike, up to that
     * order (the explorer's symmetry, {@code SmallWorld.hash}).
     */
    default boolean symmetric() {
        return false;
    }

    /** What a process of the world is started with. */
    record Context(BitLayout layout, int slot, String name, ManualClock clock, RandomGenerator random,
            String clusterId) {
    }

    /** Starts a process of {@code protocol}. */
    static SmallProcess start(String protocol, Context c) {
        return switch (protocol) {
            case "fenced" -> new Fenced(c);
            case "static-config" -> new StaticConfig(c);
            case "ephemeral-only" -> new EphemeralOnly(c);
            case "leaf-like" -> new LeafLike(c);
            default -> throw new IllegalArgumentException("protocol must be one of " + NAMES + ": '" + protocol + "'");
        };
    }

    /** The protocols that fit the explorer's events, for messages. */
    String NAMES = "fenced, static-config, ephemeral-only, leaf-like";

    /** The protocols that fit the explorer's events. */
    List<String> PROTOCOLS = List.of(NAMES.split(", "));

    /** The lease window of every world: three ticks. */
    long WINDOW_MILLIS = 30;
    /** The clock offset bound of every world: two ticks. */
    long OFFSET_BOUND_MILLIS = 20;
    /** The retry delay of every world: one tick. */
    long RETRY_MILLIS = 10;

    /** The write tokens and nonces of one process: distinct from every other process's, and counted. */
    final class Draws implements RandomGenerator {
        private final long base;
        private long drawn;

        Draws(int slot, int incarnation) {
            this.base = (long) (slot + 1) << 48 | (long) incarnation << 32;
        }

        @Override
        public long nextLong() {
            return base | ++drawn;
        }
    }

    /** flakeproof's protocol: the real lease holder. */
    final class Fenced implements SmallProcess {
        private final LeaseHolder holder;
        private final ManualClock clock;
        private boolean finished;

        Fenced(Context c) {
            this.clock = c.clock();
            final LeaseCore core = new LeaseCore(c.layout(), 0, c.name(), c.clock(), c.random(),
                    Duration.ofMillis(WINDOW_MILLIS), Duration.ofMillis(OFFSET_BOUND_MILLIS),
                    Duration.ofMillis(RETRY_MILLIS), new ClusterPolicy("explore", c.clusterId(), false));
            this.holder = new LeaseHolder(c.layout(), core, c.clock(), DriftPolicy.fail());
        }

        private List<Op> ops(List<LeaseCommand> commands) {
            final List<Op> out = new ArrayList<>();
            for (LeaseCommand command : commands) {
                if (command instanceof LeaseCommand.StoreOp op) {
                    out.add(new LeaseOp(op));
                } else if (command instanceof LeaseCommand.Released) {
                    finished = true;
                }
            }
            return out;
        }

        @Override
        public List<Op> start() {
            return ops(holder.start());
        }

        @Override
        public List<Op> onAnswer(long tag, Object answer) {
            return ops(holder.onResult(tag, (StoreResult) answer));
        }

        @Override
        public boolean due() {
            return holder.nextWakeNanos() <= clock.monotonicNanos();
        }

        @Override
        public List<Op> onWake() {
            return ops(holder.onWake());
        }

        @Override
        public List<Op> onSuspended() {
            return ops(holder.onSuspended());
        }

        @Override
        public List<Op> onReconnected() {
            return ops(holder.onReconnected());
        }

        @Override
        public List<Op> onSessionLost() {
            return ops(holder.onSessionLost());
        }

        @Override
        public List<Op> release() {
            final List<Op> out = ops(holder.release());
            finished |= holder.core().phase() == LeaseCore.Phase.CLOSED;
            return out;
        }

        @Override
        public boolean finished() {
            return finished;
        }

        @Override
        public SnowflakeGenerator generator() {
            return holder.generator();
        }

        @Override
        public Object state() {
            return this;
        }

        @Override
        public boolean fenced() {
            return true;
        }

        /** The slot reaches the core only as its name and draws: its identity on the records and tokens. */
        @Override
        public boolean symmetric() {
            return true;
        }
    }

    /** A worker record in a few words: epoch, holder, ceiling. */
    static String describe(WorkerRecord r) {
        return "{epoch " + r.holderEpoch() + ", " + (r.holder().isEmpty() ? "no holder" : r.holder().split(":")[0])
                + ", ceiling " + r.ceilingTick() + "}";
    }

    /** A lease core's store operation. */
    record LeaseOp(LeaseCommand.StoreOp op) implements Op {
        @Override
        public long tag() {
            return op.op();
        }

        @Override
        public StoreState.Applied apply(StoreState store, int session, long nowMillis) {
            return store.apply(op, session, nowMillis);
        }

        @Override
        public Object unknown() {
            return StoreState.unknown(op);
        }

        @Override
        public boolean writes() {
            return !(op instanceof LeaseCommand.ReadCluster || op instanceof LeaseCommand.ListWorkers
                    || op instanceof LeaseCommand.Read);
        }

        @Override
        public String describe() {
            if (op instanceof LeaseCommand.CreateRecord c) {
                return "create record of worker " + c.workerId() + " " + SmallProcess.describe(c.record());
            }
            if (op instanceof LeaseCommand.Claim c) {
                return "claim worker " + c.workerId() + " at version " + c.expectedVersion() + ": "
                        + SmallProcess.describe(c.record());
            }
            if (op instanceof LeaseCommand.Write w) {
                return "write worker " + w.workerId() + " at version " + w.expectedVersion() + ": "
                        + SmallProcess.describe(w.record());
            }
            if (op instanceof LeaseCommand.Read r) {
                return "read worker " + r.workerId();
            }
            if (op instanceof LeaseCommand.DeleteOwner d) {
                return "delete the owner of worker " + d.workerId() + " if at version " + d.recordVersion();
            }
            return op instanceof LeaseCommand.ListWorkers ? "list workers" : "read the cluster record";
        }
    }

    /**
     * What the naive processes share: no release to speak of, a generator on a fixed worker. They keep
     * the layout and clock of their context, not its slot or name: a protocol that reads its slot keeps
     * it itself, so that the state key holds the slot only where it decides something.
     */
    abstract class Naive implements SmallProcess {
        final BitLayout layout;
        final ManualClock clock;
        SnowflakeGenerator generator;
        boolean finished;

        Naive(Context context) {
            this.layout = context.layout();
            this.clock = context.clock();
        }

        SnowflakeGenerator newGenerator(long worker) {
            return new SnowflakeGenerator(layout, new StaticLease(0, worker), clock, DriftPolicy.fail());
        }

        @Override
        public List<Op> start() {
            return List.of();
        }

        @Override
        public List<Op> onAnswer(long tag, Object answer) {
            return List.of();
        }

        @Override
        public boolean due() {
            return false;
        }

        @Override
        public List<Op> onWake() {
            return List.of();
        }

        @Override
        public List<Op> onSuspended() {
            return List.of();
        }

        @Override
        public List<Op> onReconnected() {
            return List.of();
        }

        @Override
        public List<Op> onSessionLost() {
            return List.of();
        }

        @Override
        public List<Op> release() {
            generator = null;
            finished = true;
            return List.of();
        }

        @Override
        public boolean finished() {
            return finished;
        }

        @Override
        public SnowflakeGenerator generator() {
            return generator;
        }

        @Override
        public Object state() {
            return this;
        }

        @Override
        public boolean fenced() {
            return false;
        }
    }

    /** {@code static-config}: the worker ID is the host's from its configuration; a host beyond the pool gets none. */
    final class StaticConfig extends Naive {
        StaticConfig(Context c) {
            super(c);
            if (c.slot() < c.layout().workerCapacity()) {
                generator = newGenerator(c.slot());
            }
        }
    }

    /** An answer when the outcome of a naive operation is not known. */
    enum Unknown { UNKNOWN }

    /**
     * {@code ephemeral-only}: a worker is free when its ephemeral znode is gone; the process creates the
     * first free one and mints under it, and keeps the one it had until its session is lost.
     */
    final class EphemeralOnly extends Naive {
        private long nextTag = 1;
        /** The tag of the create whose answer is awaited. */
        private long awaited;
        /** The worker being tried, -1 while waiting for the retry timer. */
        private long trying;
        private long retryAtNanos = Long.MAX_VALUE;

        EphemeralOnly(Context c) {
            super(c);
        }

        /** Creates {@code e/<worker>} owned by the session, unless it exists. */
        record CreateEphemeral(long tag, long worker) implements Op {
            @Override
            public StoreState.Applied apply(StoreState store, int session, long nowMillis) {
                final String path = "e/" + worker;
                if (store.isExpired(session) || store.get(path) != null) {
                    return new StoreState.Applied(store, store.isExpired(session) ? Unknown.UNKNOWN : false);
                }
                return new StoreState.Applied(store.with(path, new StoreState.Znode("owner", 0, session, nowMillis)), true);
            }

            @Override
            public Object unknown() {
                return Unknown.UNKNOWN;
            }

            @Override
            public String describe() {
                return "create ephemeral e/" + worker;
            }
        }

        private List<Op> acquire(long worker) {
            if (worker >= layout.workerCapacity()) {
                trying = -1;
                retryAtNanos = clock.monotonicNanos() + RETRY_MILLIS * 1_000_000;
                return List.of();
            }
            trying = worker;
            awaited = nextTag++;
            return List.of(new CreateEphemeral(awaited, worker));
        }

        @Override
        public List<Op> start() {
            return acquire(0);
        }

        @Override
        public List<Op> onAnswer(long tag, Object answer) {
            if (tag != awaited || finished) {
                return List.of();
            }
            if (Boolean.TRUE.equals(answer)) {
                generator = newGenerator(trying);
                trying = -1;
                return List.of();
            }
            return answer == Unknown.UNKNOWN ? acquire(layout.workerCapacity()) : acquire(trying + 1);
        }

        @Override
        public boolean due() {
            return trying < 0 && retryAtNanos <= clock.monotonicNanos();
        }

        @Override
        public List<Op> onWake() {
            retryAtNanos = Long.MAX_VALUE;
            return acquire(0);
        }

        @Override
        public List<Op> onSessionLost() {
            return acquire(0);
        }

        /** Every process tries the workers from 0 up, whatever its slot, and keeps no name. */
        @Override
        public boolean symmetric() {
            return true;
        }
    }

    /**
     * {@code leaf-like}: the worker is keyed by the process's address (its slot), assigned once; the
     * clock is checked at start only, against the last one uploaded, and uploaded again every window.
     */
    final class LeafLike extends Naive {
        /** The process's address: its slot. */
        private final int address;
        private long nextTag = 1;
        private long uploadAtNanos = Long.MAX_VALUE;

        LeafLike(Context c) {
            super(c);
            this.address = c.slot();
        }

        /** A worker and the last uploaded wall time of an address. */
        record Assignment(long worker, long uploadedWall) {
        }

        /** Start: the address's worker, assigned now if it has none, or -1 when the clock reads behind its upload. */
        record Assign(long tag, int slot, long wall, long capacity) implements Op {
            @Override
            public StoreState.Applied apply(StoreState store, int session, long nowMillis) {
                if (store.isExpired(session)) {
                    return new StoreState.Applied(store, Unknown.UNKNOWN);
                }
                final String key = "leaf/" + slot;
                StoreState next = store;
                StoreState.Znode z = store.get(key);
                if (z == null) {
                    final long assigned = store.nodes().keySet().stream().filter(p -> p.startsWith("leaf/")).count();
                    if (assigned >= capacity) {
                        return new StoreState.Applied(store, -2L);
                    }
                    z = new StoreState.Znode(new Assignment(assigned, wall), 0, 0, nowMillis);
                    next = store.with(key, z);
                }
                final Assignment a = (Assignment) z.data();
                return new StoreState.Applied(next, wall < a.uploadedWall() ? -1L : a.worker());
            }

            @Override
            public Object unknown() {
                return Unknown.UNKNOWN;
            }

            @Override
            public String describe() {
                return "look up the worker of address " + slot + " (clock " + wall + ")";
            }
        }

        /** Uploads the clock of an address. */
        record Upload(long tag, int slot, long wall) implements Op {
            @Override
            public StoreState.Applied apply(StoreState store, int session, long nowMillis) {
                final StoreState.Znode z = store.get("leaf/" + slot);
                if (store.isExpired(session) || z == null) {
                    return new StoreState.Applied(store, Unknown.UNKNOWN);
                }
                final Assignment a = (Assignment) z.data();
                return new StoreState.Applied(store.with("leaf/" + slot, new StoreState.Znode(
                        new Assignment(a.worker(), wall), z.version() + 1, 0, nowMillis)), true);
            }

            @Override
            public Object unknown() {
                return Unknown.UNKNOWN;
            }

            @Override
            public String describe() {
                return "upload clock " + wall + " for address " + slot;
            }
        }

        @Override
        public List<Op> start() {
            return List.of(new Assign(nextTag++, address, clock.wallMillis(),
                    layout.workerCapacity()));
        }

        @Override
        public List<Op> onAnswer(long tag, Object answer) {
            if (finished || !(answer instanceof Long worker)) {
                return List.of();
            }
            if (worker >= 0) {
                generator = newGenerator(worker);
                uploadAtNanos = clock.monotonicNanos() + WINDOW_MILLIS * 1_000_000;
            }
            return List.of();
        }

        @Override
        public boolean due() {
            return uploadAtNanos <= clock.monotonicNanos();
        }

        @Override
        public List<Op> onWake() {
            uploadAtNanos = clock.monotonicNanos() + WINDOW_MILLIS * 1_000_000;
            return List.of(new Upload(nextTag++, address, clock.wallMillis()));
        }
    }
}
