package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Lease;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The explorer's world: 2 or 3 processes on a one- or two-worker layout, each a {@link SmallProcess}
 * (for {@code fenced}, the real lease holder and generator), a store that is a value
 * ({@link StoreState}), the operations and answers in flight, and the checker. Deterministic: the same
 * events from a new world give the same world, which is how {@link Explorer} reconstructs a state.
 *
 * <p><b>Events</b> (each an int, {@link #enabled()} lists them in a fixed order):
 * <ul>
 *   <li>the oldest operation in flight on a session is delivered (applied, its answer queued), dropped
 *       (not applied, answered UNKNOWN: a fault) or committed with its answer lost (applied, answered
 *       UNKNOWN: a fault). Each session is FIFO, as a ZooKeeper session is;</li>
 *   <li>a process's oldest answer is delivered;</li>
 *   <li>a tick of time passes for every clock and the registry; a process whose timer is due wakes;</li>
 *   <li>a session is suspended (a fault), expires on the registry (a fault for a live process's
 *       session; a crashed process's session expires for free, as it does after its timeout), or
 *       reconnects (learning the expiry, if any: Curator's LOST, and a new session);</li>
 *   <li>a process's wall clock steps by a tick, the offset bound or the window, either way (a step);</li>
 *   <li>a process mints at its ceiling: the highest tick its lease lets it mint (for a protocol with no
 *       ceiling, its clock's tick);</li>
 *   <li>a process crashes and starts again with a new identity and session (a fault; its old session
 *       lingers, and its operations in flight may still land), or releases and then starts again.</li>
 * </ul>
 *
 * <p><b>Mint at the ceiling.</b> The wall clock is set to the ceiling's tick, the real generator mints
 * one ID, and the clock is set back, with no other event in between: an execution the real system can
 * have (a clock that reads the ceiling at that moment), and the most dangerous mint, since it reaches
 * the top of the term's interval. Backward-clock behaviour needs no special case: the generator's own
 * state and drift policy decide, as in production.
 *
 * <p><b>The reduction</b> (on unless the bounds say otherwise): after each event, the events that need
 * no choice are applied at once, at no cost in depth: the delivery of an operation that can change
 * nothing ({@link #deliverInert()}), and, once a path has no fault, step or tick left, the mint of a
 * process that can do nothing else ({@link #mintDormant()}). The README argues why no violation within
 * the bounds is lost.
 *
 * <p><b>The checker</b>: every ID distinct; each generator's IDs increasing; for {@code fenced}, each
 * mint above its term's floor, and each worker's terms minting in disjoint tick intervals
 * {@code (floor, highest tick minted]}. An exception or failed assertion in the code under test
 * (the explorer runs with {@code -ea}) is a violation too.
 */
final class SmallWorld {

    /** Event kinds; an event is {@code kind << 16 | target << 8 | argument}. */
    enum Kind { DELIVER, DELAY, DROP, LOSE_ANSWER, ANSWER, TIME, SUSPEND, RECONNECT, EXPIRE, STEP, MINT, CRASH, RELEASE }

    /**
     * How big the world is, and how many faults, clock steps and ticks of time passing a path may have;
     * {@code reduced}: whether the events that need no choice are applied at once ({@link #deliverInert()},
     * {@link #mintDormant()}).
     */
    record Bounds(String protocol, int holders, int workers, int faults, int clockSteps, int ticks, boolean reduced) {

        /** Bounds with the reduction on. */
        Bounds(String protocol, int holders, int workers, int faults, int clockSteps, int ticks) {
            this(protocol, holders, workers, faults, clockSteps, ticks, true);
        }
    }

    static final long TICK_MILLIS = 10;
    /** The clock steps: a tick, the offset bound, the window, forward and back. */
    static final long[] STEPS = {TICK_MILLIS, -TICK_MILLIS, SmallProcess.OFFSET_BOUND_MILLIS,
        -SmallProcess.OFFSET_BOUND_MILLIS, SmallProcess.WINDOW_MILLIS, -SmallProcess.WINDOW_MILLIS};
    static final String CLUSTER_ID = "explored";

    /** One slot of the world: the process started in it now, its clock (the host's), session, queues. */
    private static final class Slot {
        final ManualClock clock;
        SmallProcess process;
        int incarnation;
        int session;
        boolean suspended;
        boolean releasing;
        final ArrayDeque<Object[]> answers = new ArrayDeque<>();

        Slot(ManualClock clock) {
            this.clock = clock;
        }
    }

    /** What one generator minted: its worker, floor and highest tick, for the interval check. */
    private static final class Term {
        final long worker;
        final long floor;
        long maxTick;
        long maxId = Long.MIN_VALUE;

        Term(long worker, long floor) {
            this.worker = worker;
            this.floor = floor;
        }
    }

    private final Bounds bounds;
    private final BitLayout layout;
    private final ManualClock registryClock;
    private final long startWall;
    private StoreState store;
    private final List<Slot> slots = new ArrayList<>();
    /** Operations in flight per session, oldest first: {slot, incarnation, op}. */
    private final TreeMap<Integer, ArrayDeque<Object[]>> inFlight = new TreeMap<>();
    private int sessions;
    private int faults;
    private int steps;
    private int ticks;
    /** Events applied, those the reduction added included, in order (kept with the timeline only). */
    private final List<Integer> applied = new ArrayList<>();
    private final TreeSet<Long> ids = new TreeSet<>();
    private final IdentityHashMap<SnowflakeGenerator, Term> terms = new IdentityHashMap<>();
    /** The terms in the order they first minted, for deterministic messages. */
    private final List<Term> termOrder = new ArrayList<>();
    private String violation;
    private final Timeline timeline;
    /** Whether the processes have floors and ceilings (the interval checks apply). */
    private final boolean fenced;
    /** Whether states are compared up to the order of their slots ({@link #hash}). */
    private final boolean symmetric;

    SmallWorld(Bounds bounds, boolean keepTimeline) {
        this.bounds = bounds;
        final int workerBits = bounds.workers() == 1 ? 0 : 1;
        this.layout = new BitLayout(41, 0, workerBits, 22 - workerBits, TICK_MILLIS,
                BitLayout.DEFAULT_EPOCH.toEpochMilli());
        this.startWall = BitLayout.DEFAULT_EPOCH.toEpochMilli() + 1000 * TICK_MILLIS;
        this.registryClock = new ManualClock(startWall);
        this.store = StoreState.withCluster(new ClusterRecord(layout, CLUSTER_ID, 0));
        this.timeline = new Timeline(keepTimeline);
        for (int i = 0; i < bounds.holders(); i++) {
            final Slot s = new Slot(new ManualClock(startWall));
            slots.add(s);
            startProcess(i);
        }
        this.fenced = slots.get(0).process.fenced();
        this.symmetric = bounds.reduced() && slots.get(0).process.symmetric()
                && ONE_FIRST_WORKER.computeIfAbsent(bounds, b -> oneFirstWorker());
    }

    /** Whether states are compared up to the order of their slots ({@link #hash}). */
    boolean symmetric() {
        return symmetric;
    }

    /** {@link #oneFirstWorker()} per bounds: the explorer makes a world for every state it expands. */
    private static final Map<Bounds, Boolean> ONE_FIRST_WORKER = new ConcurrentHashMap<>();

    /**
     * Whether every process start the bounds allow (each slot, each incarnation up to one per fault)
     * tries the workers in one order. The lease core starts its search of the workers at a point that
     * depends on its identity (its hash code), so that nodes starting together do not all try worker 0;
     * the symmetry ({@link #hash}), which writes identities by appearance and leaves incarnations out,
     * is sound only if that point is the same for all. It is found by running each process start
     * against a registry where every worker has a free record, never by restating how the core picks it.
     */
    private boolean oneFirstWorker() {
        if (layout.workerCapacity() == 1 || !fenced) {
            return true; // one worker to try, or a naive protocol, which draws no identity
        }
        final Set<Long> first = new HashSet<>();
        for (int slot = 0; slot < bounds.holders(); slot++) {
            for (int incarnation = 1; incarnation <= 1 + bounds.faults(); incarnation++) {
                first.add(firstWorker(slot, incarnation));
            }
        }
        return first.size() == 1 && !first.contains(-1L);
    }

    /** The worker a process start reads first when every worker has a free record, or -1 if it reads none. */
    private long firstWorker(int slot, int incarnation) {
        final SmallProcess p = SmallProcess.start(bounds.protocol(), new SmallProcess.Context(layout, slot,
                name(slot, incarnation), new ManualClock(startWall), new SmallProcess.Draws(slot, incarnation),
                CLUSTER_ID));
        StoreState registry = StoreState.withCluster(new ClusterRecord(layout, CLUSTER_ID, 0));
        for (long w = 0; w < layout.workerCapacity(); w++) {
            registry = registry.with(StoreState.record(w), new StoreState.Znode(WorkerRecord.unclaimed(0), 0, 0, 0));
        }
        final ArrayDeque<SmallProcess.Op> ops = new ArrayDeque<>(p.start());
        for (int i = 0; i < 16 && !ops.isEmpty(); i++) {
            final SmallProcess.Op op = ops.remove();
            if (op instanceof SmallProcess.LeaseOp lease && lease.op() instanceof LeaseCommand.Read read) {
                return read.workerId();
            }
            final StoreState.Applied applied = op.apply(registry, 1, startWall);
            registry = applied.store();
            ops.addAll(p.onAnswer(op.tag(), applied.answer()));
        }
        return -1;
    }

    private static String name(int slot, int incarnation) {
        return "h" + slot + "." + incarnation;
    }

    static int event(Kind kind, int target, int argument) {
        return kind.ordinal() << 16 | target << 8 | argument;
    }

    static Kind kind(int event) {
        return Kind.values()[event >>> 16];
    }

    static int target(int event) {
        return event >>> 8 & 0xff;
    }

    static int argument(int event) {
        return event & 0xff;
    }

    BitLayout layout() {
        return layout;
    }

    /** The faults this world's path has spent. */
    int faults() {
        return faults;
    }

    /**
     * The events applied so far, those the reduction added included (kept only with the timeline): a
     * path of the world without the reduction that reaches this state.
     */
    int[] applied() {
        return applied.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The violation found, or null. */
    String violation() {
        return violation;
    }

    List<Timeline.Entry> timeline() {
        return timeline.entries();
    }

    // ---- the events ----

    /** Every event possible now, in a fixed order. */
    List<Integer> enabled() {
        final List<Integer> out = new ArrayList<>();
        final boolean mayFault = faults < bounds.faults();
        for (Map.Entry<Integer, ArrayDeque<Object[]>> e : inFlight.entrySet()) {
            if (!e.getValue().isEmpty()) {
                out.add(event(Kind.DELIVER, e.getKey(), 0));
                if (mayFault) {
                    out.add(event(Kind.DELAY, e.getKey(), 0));
                    out.add(event(Kind.DROP, e.getKey(), 0));
                    if (((SmallProcess.Op) e.getValue().peek()[2]).writes()) {
                        out.add(event(Kind.LOSE_ANSWER, e.getKey(), 0));
                    }
                }
            }
        }
        for (int i = 0; i < slots.size(); i++) {
            final Slot s = slots.get(i);
            if (!s.answers.isEmpty()) {
                out.add(event(Kind.ANSWER, i, 0));
            }
        }
        if (ticks < bounds.ticks()) {
            out.add(event(Kind.TIME, 0, 0));
        }
        for (int i = 0; i < slots.size(); i++) {
            final Slot s = slots.get(i);
            final boolean expired = store.isExpired(s.session);
            if (mayFault && !s.suspended && !expired) {
                out.add(event(Kind.SUSPEND, i, 0));
            }
            if (s.suspended || expired) {
                out.add(event(Kind.RECONNECT, i, 0));
            }
            if (mayFault && !expired) {
                out.add(event(Kind.EXPIRE, s.session, 0));
            }
            if (steps < bounds.clockSteps()) {
                for (int k = 0; k < STEPS.length; k++) {
                    out.add(event(Kind.STEP, i, k));
                }
            }
            if (mintable(s)) {
                out.add(event(Kind.MINT, i, 0));
            }
            if (mayFault) {
                out.add(event(Kind.CRASH, i, 0));
                if (!s.releasing) {
                    out.add(event(Kind.RELEASE, i, 0));
                }
            }
        }
        // Sessions of crashed processes expire when their timeout passes: no fault.
        for (int session = 1; session <= sessions; session++) {
            if (!store.isExpired(session) && !current(session) && (store.owns(session) || inFlight.containsKey(session))) {
                out.add(event(Kind.EXPIRE, session, 0));
            }
        }
        return out;
    }

    private boolean current(int session) {
        return slots.stream().anyMatch(s -> s.session == session);
    }

    /** Applies one event; an exception or failed assertion of the code under test becomes the violation. */
    void apply(int event) {
        try {
            record(event);
            step(event);
            wakeDue();
            if (bounds.reduced() && violation == null) {
                deliverInert();
                mintDormant();
            }
        } catch (RuntimeException | AssertionError e) {
            violation = "the code under test threw " + e;
        }
    }

    private void step(int event) {
        final int t = target(event);
        switch (kind(event)) {
            case DELIVER, DELAY, DROP, LOSE_ANSWER -> deliver(kind(event), t);
            case ANSWER -> {
                final Object[] a = slots.get(t).answers.remove();
                answer(t, (Long) a[0], a[1]);
            }
            case TIME -> {
                ticks++;
                registryClock.advance(TICK_MILLIS);
                slots.forEach(s -> s.clock.advance(TICK_MILLIS));
                note(-1, () -> "a tick passes");
            }
            case SUSPEND -> {
                faults++;
                slots.get(t).suspended = true;
                note(t, () -> "FAULT: connection suspended");
                send(t, slots.get(t).process.onSuspended());
            }
            case RECONNECT -> reconnect(t);
            case EXPIRE -> {
                if (current(t)) {
                    faults++;
                }
                store = store.expire(t);
                note(-1, () -> (current(t) ? "FAULT: " : "") + "session " + t + " expires on the registry");
            }
            case STEP -> {
                steps++;
                final long delta = STEPS[argument(event)];
                slots.get(t).clock.stepWall(delta);
                note(t, () -> "FAULT: wall clock steps " + (delta > 0 ? "+" : "") + delta + " ms");
            }
            case MINT -> mint(t);
            case CRASH -> {
                faults++;
                note(t, () -> "FAULT: crashes; starts again with a new identity");
                startProcess(t);
            }
            case RELEASE -> {
                faults++;
                final Slot s = slots.get(t);
                s.releasing = true;
                note(t, () -> "releases (graceful stop)");
                send(t, s.process.release());
            }
        }
    }

    private void deliver(Kind how, int session) {
        final Object[] sent = inFlight.get(session).remove();
        if (inFlight.get(session).isEmpty()) {
            inFlight.remove(session);
        }
        final int slot = (Integer) sent[0];
        final SmallProcess.Op op = (SmallProcess.Op) sent[2];
        final Object answer;
        if (how != Kind.DELIVER) {
            faults++;
        }
        if (how == Kind.DROP) {
            answer = op.unknown();
            note(slot, () -> "FAULT: " + op.describe() + " is lost before the registry sees it");
        } else {
            final StoreState.Applied applied = op.apply(store, session, registryClock.wallMillis());
            store = applied.store();
            if (how == Kind.LOSE_ANSWER) {
                answer = op.unknown();
                note(slot, () -> "FAULT: " + op.describe() + " is applied (" + describe(applied.answer())
                        + ") but its answer is lost");
            } else {
                answer = applied.answer();
                note(slot, () -> "registry applies " + op.describe() + (how == Kind.DELAY ? "; FAULT: its answer is delayed" : ""));
            }
        }
        final Slot s = slots.get(slot);
        if (s.incarnation != (Integer) sent[1]) {
            return; // its process is gone
        }
        if (how == Kind.DELAY) {
            s.answers.add(new Object[] {op.tag(), answer});
        } else {
            answer(slot, op.tag(), answer);
        }
    }

    /**
     * The reduction (see the README, "The reduction"): every inert operation at the head of its session
     * is delivered now, as an event that costs no depth. An operation is inert when its process start is
     * over (its answer is dropped) and it cannot change the store: it only reads, or its session has
     * expired on the registry (the store then applies nothing). Its delivery, a drop or a lost answer
     * would all only take it off its session's queue, to which nothing else is ever added (only a
     * live process sends, on its current session). So this depends only on the state, spends no
     * budget, and leaves out no violation that a path without it reaches: the same path, less its
     * deliveries of inert operations, runs here with the same effects.
     */
    private void deliverInert() {
        for (Integer session : new ArrayList<>(inFlight.keySet())) {
            while (inFlight.containsKey(session) && inert(session, inFlight.get(session).peek())) {
                final StoreState before = store;
                record(event(Kind.DELIVER, session, 0));
                deliver(Kind.DELIVER, session);
                if (store != before) {
                    throw new IllegalStateException("an inert operation changed the store on session " + session);
                }
            }
        }
    }

    /**
     * The reduction's second part (see the README, "The reduction"): once a path has spent every fault,
     * clock step and tick it may, a process that can do nothing but mint, now and on every path on, mints
     * now, as an event that costs no depth. Such a process is dormant: it is not suspended, its session
     * has not expired, no answer is queued for it, no operation of its is in flight, and no timer of its
     * is due. Nothing but its own events changes any of that, and with no fault, step or tick left its
     * only event is the mint: no clock moves, no answer reaches it, its timers stay where they are. So
     * its mint has the same effect at any point of any path from here, commutes with every other event
     * (other mints only add to the same checker, whose verdict does not depend on their order), and a
     * violation that a path reaches with it late or without it, the same path reaches with it now.
     */
    private void mintDormant() {
        if (faults < bounds.faults() || ticks < bounds.ticks() || steps < bounds.clockSteps()) {
            return;
        }
        for (int i = 0; i < slots.size() && violation == null; i++) {
            if (mintable(slots.get(i)) && dormant(i)) {
                record(event(Kind.MINT, i, 0));
                mint(i);
            }
        }
    }

    /** Whether slot {@code i}'s process waits for nothing: see {@link #mintDormant()}. */
    private boolean dormant(int i) {
        final Slot s = slots.get(i);
        if (s.suspended || store.isExpired(s.session) || !s.answers.isEmpty() || s.process.due()) {
            return false;
        }
        for (ArrayDeque<Object[]> queue : inFlight.values()) {
            for (Object[] sent : queue) {
                if ((Integer) sent[0] == i && (Integer) sent[1] == s.incarnation) {
                    return false;
                }
            }
        }
        return true;
    }

    private void record(int event) {
        if (timeline.enabled()) {
            applied.add(event);
        }
    }

    private boolean inert(int session, Object[] sent) {
        final boolean gone = slots.get((Integer) sent[0]).incarnation != (Integer) sent[1];
        return gone && (store.isExpired(session) || !((SmallProcess.Op) sent[2]).writes());
    }

    private void answer(int slot, long tag, Object answer) {
        note(slot, () -> "gets " + describe(answer));
        send(slot, slots.get(slot).process.onAnswer(tag, answer));
    }

    /** Timers fire when due: every process whose wake-up is due is woken, in slot order. */
    private void wakeDue() {
        for (int round = 0; round < 8; round++) {
            boolean woke = false;
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).process.due()) {
                    woke = true;
                    note(i, () -> "wakes (timer due)");
                    send(i, slots.get(i).process.onWake());
                }
            }
            if (!woke) {
                return;
            }
        }
    }

    private void reconnect(int t) {
        final Slot s = slots.get(t);
        s.suspended = false;
        if (store.isExpired(s.session)) {
            s.session = ++sessions;
            note(t, () -> "learns its session expired (LOST); new session " + s.session);
            send(t, s.process.onSessionLost());
        } else {
            note(t, () -> "reconnects, same session");
            send(t, s.process.onReconnected());
        }
    }

    private void startProcess(int slot) {
        final Slot s = slots.get(slot);
        s.incarnation++;
        s.session = ++sessions;
        s.suspended = false;
        s.releasing = false;
        s.answers.clear();
        final String name = name(slot, s.incarnation);
        s.process = SmallProcess.start(bounds.protocol(), new SmallProcess.Context(layout, slot, name, s.clock,
                new SmallProcess.Draws(slot, s.incarnation), CLUSTER_ID));
        note(slot, () -> "starts as " + name + ", session " + s.session);
        send(slot, s.process.start());
    }

    private void send(int slot, List<SmallProcess.Op> ops) {
        final Slot s = slots.get(slot);
        for (SmallProcess.Op op : ops) {
            inFlight.computeIfAbsent(s.session, k -> new ArrayDeque<>()).add(new Object[] {slot, s.incarnation, op});
        }
        if (s.releasing && s.process.finished()) {
            // The shell closes its client: the session ends, and the process is started again (a deploy).
            store = store.expire(s.session);
            note(slot, () -> "stopped; its session " + s.session + " is closed");
            startProcess(slot);
        }
    }

    private void mint(int slot) {
        final Slot s = slots.get(slot);
        final SnowflakeGenerator g = s.process.generator();
        final Lease lease = g.lease();
        final long saved = s.clock.wallMillis();
        final long target = mintTick(s);
        final long id;
        s.clock.setWall(layout.startMillisOf(target));
        try {
            id = g.tryNextId();
        } catch (MintRefusedException e) {
            note(slot, () -> "mint at tick " + target + " refused: " + e.getMessage());
            return;
        } finally {
            s.clock.setWall(saved);
        }
        if (id == SnowflakeGenerator.WOULD_WAIT) {
            return;
        }
        final long tick = layout.tickOf(id);
        final long worker = layout.workerOf(id);
        note(slot, () -> "MINTS ID " + id + " (worker " + worker + ", tick " + tick + ", sequence "
                + layout.decode(id).sequence() + ")");
        final Term term = terms.computeIfAbsent(g, k -> {
            final Term fresh = new Term(worker, lease.floorTick());
            termOrder.add(fresh);
            return fresh;
        });
        if (!ids.add(id)) {
            violation = "ID " + id + " (worker " + worker + ", tick " + tick + ") minted twice";
        } else if (id <= term.maxId) {
            violation = "process " + slot + " minted " + id + " after " + term.maxId + ": not increasing";
        } else if (s.process.fenced() && tick <= term.floor) {
            violation = "process " + slot + " minted tick " + tick + " at or below its floor " + term.floor;
        }
        term.maxId = Math.max(term.maxId, id);
        term.maxTick = Math.max(term.maxTick, tick);
        if (violation == null && s.process.fenced()) {
            for (Term other : termOrder) {
                if (other != term && other.worker == worker && other.floor < term.maxTick && term.floor < other.maxTick) {
                    violation = "worker " + worker + ": terms minted in overlapping tick intervals (" + term.floor
                            + ", " + term.maxTick + "] and (" + other.floor + ", " + other.maxTick + "]";
                    break;
                }
            }
        }
    }

    /**
     * Whether a mint of {@code s} is an event now: only a mint in a tick its generator has not minted in
     * yet is one. A second ID in one tick of one generator adds nothing, because two generators that mint
     * the same ID (tick, sequence) both minted sequence 0 of that tick first.
     */
    private boolean mintable(Slot s) {
        final long tick = mintTick(s);
        return tick >= 0 && tick > s.process.generator().lastTick();
    }

    /**
     * The tick a mint of {@code s} takes: its lease's ceiling, or its clock's tick under a protocol with
     * no ceiling; -1 when it has no generator in service.
     */
    private long mintTick(Slot s) {
        final SnowflakeGenerator g = s.process.generator();
        if (g == null || g.isSealed()) {
            return -1;
        }
        final long ceiling = g.lease().ceilingTick();
        return ceiling == Long.MAX_VALUE ? layout.tickAt(s.clock.wallMillis()) : ceiling;
    }

    // ---- the state key ----

    /**
     * The canonical encoding of the whole state (see the README): the clock steps and ticks spent (the
     * faults spent are kept beside the key, see {@link Explorer}), the registry's clock and
     * store, each slot (incarnation, session, flags, answers in flight, and its process: for {@code fenced}
     * every field of the lease holder, core, acquisition, clock offset, lease, generator, clock and
     * random source), the operations in flight per session, the IDs minted, and each term's interval
     * with the live generator it belongs to, if any. The IDs themselves only for a protocol without floors:
     * with them, two equal IDs are two terms of one worker minting one tick (their intervals overlap) or one
     * generator minting twice (not increasing), so the intervals and each term's largest ID decide every
     * later verdict. Under the reduction, sessions are written by their names ({@link #sessionNames}),
     * not their numbers, and the count of sessions made is left out; under the symmetry ({@link #hash})
     * so are incarnations, which then only tell whether an operation belongs to its slot's current
     * process start (written per operation), and holder identities and write tokens are ranked by their
     * first appearance ({@link StateKey#byAppearance()}).
     */
    StateKey key() {
        return key(new StateKey());
    }

    /** {@link #key()}, written into {@code k} (emptied first), with the slots in their own order. */
    StateKey key(StateKey k) {
        return key(k, IDENTITY[slots.size()]);
    }

    /** The slots in their own order, per number of slots. */
    private static final int[][] IDENTITY = {{}, {0}, {0, 1}, {0, 1, 2}};

    /**
     * {@link #key(StateKey)} with the slots written in {@code order} ({@code order[p]} is the slot written
     * p-th): each slot's fields, its process's tags and the names of its sessions follow its place in the
     * order; its number is never written, nor, under the symmetry, its incarnation (see {@link #hash}).
     */
    StateKey key(StateKey k, int[] order) {
        final int[] place = new int[slots.size()];
        for (int p = 0; p < order.length; p++) {
            place[order[p]] = p;
        }
        final Map<Integer, Integer> names = bounds.reduced() ? sessionNames(order, place) : null;
        k.reset().mark(steps).mark(ticks);
        if (names == null) {
            k.mark(sessions).add(registryClock).add(store);
        } else {
            if (symmetric) {
                k.byAppearance();
            }
            k.add(registryClock).add(store.renamed(names));
        }
        for (int p = 0; p < order.length; p++) {
            final Slot s = slots.get(order[p]);
            if (!symmetric) {
                k.mark(s.incarnation);
            }
            k.mark(names == null ? s.session : names.get(s.session)).mark(s.suspended).mark(s.releasing)
                    .mark(s.answers.size());
            for (Object[] a : s.answers) {
                k.tag(p, (Long) a[0]).add(a[1]);
            }
            k.add(p, s.process.state());
        }
        final List<Map.Entry<Integer, ArrayDeque<Object[]>>> queues = new ArrayList<>(inFlight.entrySet());
        if (names != null) {
            queues.sort(Comparator.comparing(e -> names.get(e.getKey())));
        }
        k.mark(queues.size());
        for (Map.Entry<Integer, ArrayDeque<Object[]>> e : queues) {
            k.mark("session " + (names == null ? e.getKey() : names.get(e.getKey())));
            for (Object[] sent : e.getValue()) {
                final int slot = (Integer) sent[0];
                final boolean live = slots.get(slot).incarnation == (Integer) sent[1];
                // An operation of a process gone: its answer is dropped, so its tag is compared with nothing.
                k.mark(place[slot]).mark(live).add(live ? place[slot] : -1, sent[2]);
            }
        }
        if (!fenced) {
            k.add(new ArrayList<>(ids));
        }
        final List<String> intervals = new ArrayList<>();
        for (Map.Entry<SnowflakeGenerator, Term> e : terms.entrySet()) {
            final Term t = e.getValue();
            intervals.add(t.worker + ":" + t.floor + ":" + t.maxTick + ":" + t.maxId + "@" + k.refOf(e.getKey()));
        }
        intervals.sort(Comparator.naturalOrder());
        return k.add(intervals);
    }

    /**
     * The state's 128-bit hash, for the explorer's set of states seen. Without the symmetry (off without
     * the reduction, for processes whose behaviour depends on their slot, {@link SmallProcess#symmetric()},
     * and when process starts would try the workers in different orders, {@link #oneFirstWorker()}),
     * the hash of {@link #key(StateKey)}. With it, the smallest hash of the
     * keys written in every order of the slots that {@link #orders()} offers (the symmetry; the README
     * argues it): two states whose slots hold the same processes in another order are one state.
     */
    long[] hash(StateKey k) {
        if (!symmetric) {
            return key(k).hash();
        }
        long[] best = null;
        for (int[] order : orders()) {
            final long[] h = key(k, order).hash();
            if (best == null || h[0] < best[0] || h[0] == best[0] && h[1] < best[1]) {
                best = h;
            }
        }
        return best;
    }

    /**
     * The orders of the slots to write a state in, for {@link #hash}: the slots sorted by a summary of
     * each that is the same whichever slot holds it ({@link #summary}), and every order of the slots
     * whose summaries tie. The hash is then the same for every order of the slots of one state, since
     * each order offers the same keys; and it is always the hash of some order's key, so two states with
     * one hash are one state up to the order of their slots.
     */
    private List<int[]> orders() {
        final List<long[]> summaries = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            summaries.add(summary(i));
        }
        final List<Integer> sorted = new ArrayList<>(List.of(0, 1, 2).subList(0, slots.size()));
        sorted.sort((x, y) -> Arrays.compare(summaries.get(x), summaries.get(y)));
        final List<int[]> out = new ArrayList<>();
        permute(sorted.stream().mapToInt(Integer::intValue).toArray(), 0, summaries, out);
        return out;
    }

    /** Every order of {@code order} that only swaps slots with equal summaries, from place {@code from} on. */
    private static void permute(int[] order, int from, List<long[]> summaries, List<int[]> out) {
        if (from == order.length) {
            out.add(order.clone());
            return;
        }
        for (int i = from; i < order.length; i++) {
            if (Arrays.equals(summaries.get(order[i]), summaries.get(order[from]))) {
                swap(order, from, i);
                permute(order, from + 1, summaries, out);
                swap(order, from, i);
            }
        }
    }

    private static void swap(int[] order, int i, int j) {
        final int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }

    /**
     * A few facts about slot {@code i} that do not depend on which slot it is: whether it is suspended,
     * releasing, or on an expired session, its answers queued, its operations in flight, and its
     * generator's last tick and ceiling. They only choose the order in which slots are written; slots
     * alike in all of them are written in every order.
     */
    private long[] summary(int i) {
        final Slot s = slots.get(i);
        final ArrayDeque<Object[]> queue = inFlight.get(s.session);
        final SnowflakeGenerator g = s.process.generator();
        return new long[] {s.suspended ? 1 : 0, s.releasing ? 1 : 0, store.isExpired(s.session) ? 1 : 0,
            s.answers.size(), queue == null ? 0 : queue.size(), g == null ? -2 : g.lastTick(), mintTick(s)};
    }

    /**
     * The reduction's names for the sessions in the key: 1, 2, ... in the order they are met, each slot's
     * current session first (slots in {@code order}; {@code place} is its inverse), then those with
     * operations in flight, by their slot's place and then oldest first, then the owners of ephemeral
     * nodes.
     * Sessions are compared only for equality, and the order in which they are visited changes no
     * state reached (it orders the events offered, and inert deliveries, which commute), so states
     * that differ only in their sessions' numbers behave alike: two processes that started again, or
     * learnt of an expiry, in either order are one state. A session met nowhere else (an expired one,
     * not current, with nothing in flight and no node) is never looked at again, and the key leaves it
     * out. The number of sessions made so far only gives the next one a new number, and is left out too.
     */
    private Map<Integer, Integer> sessionNames(int[] order, int[] place) {
        final Map<Integer, Integer> names = new HashMap<>();
        for (int slot : order) {
            names.putIfAbsent(slots.get(slot).session, names.size() + 1);
        }
        // The sessions of processes gone, by the place of their slot, then oldest first: an order that
        // moves with the slots.
        final List<Integer> gone = new ArrayList<>(inFlight.keySet());
        gone.sort(Comparator.<Integer>comparingInt(session -> place[(Integer) inFlight.get(session).peek()[0]])
                .thenComparing(Comparator.naturalOrder()));
        for (Integer session : gone) {
            names.putIfAbsent(session, names.size() + 1);
        }
        for (StoreState.Znode z : store.nodes().values()) {
            if (z.owner() != 0) {
                names.putIfAbsent(z.owner(), names.size() + 1);
            }
        }
        return names;
    }

    // ---- the timeline ----

    private void note(int slot, Supplier<String> what) {
        if (timeline.enabled()) {
            final long at = (registryClock.wallMillis() - startWall) * 1_000_000;
            final long offset = slot < 0 ? 0 : (slots.get(slot).clock.wallMillis() - registryClock.wallMillis()) * 1_000_000;
            timeline.add(at, slot, offset, what.get());
        }
    }

    /** A store answer in a few words. */
    private static String describe(Object answer) {
        if (answer instanceof StoreResult.ClusterRead r) {
            return r.kind() + (r.record() == null ? "" : " cluster " + r.record().clusterId());
        }
        if (answer instanceof StoreResult.Listed r) {
            return r.kind() + " workers " + r.existing() + " owned " + r.owned();
        }
        if (answer instanceof StoreResult.Written r) {
            return r.kind() + (r.kind() == StoreResult.Kind.OK ? " version " + r.version() : " " + r.detail());
        }
        if (answer instanceof StoreResult.Read r) {
            return r.kind() + (r.record() == null ? " no record" : " " + SmallProcess.describe(r.record())
                    + " at version " + r.version());
        }
        return String.valueOf(answer);
    }
}
