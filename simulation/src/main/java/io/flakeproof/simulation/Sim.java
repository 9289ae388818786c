package io.flakeproof.simulation;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time and the event queue of one simulated run: one thread, events ordered by
 * (virtual time, insertion number), so the same seed and code give the same history.
 *
 * <p>{@link #runUntil} is reentrant: a generator waiting for its clock calls {@code Clock.pause} on its
 * node's process clock ({@link SimNode#sleep}), which runs every event due meanwhile (other callers,
 * other nodes, ZooKeeper, the network) and then returns, as time passing on a real machine would. A
 * pause that only moved one clock would spin forever.
 *
 * <p>Bounded: a run that processes more than {@code maxEvents} events stops with
 * {@link TooManyEvents}, which the campaign reports with the seed.
 */
final class Sim {

    /** Thrown when a run exceeds its event budget: a livelock, or parameters far too large. */
    static final class TooManyEvents extends RuntimeException {
        TooManyEvents(long limit) {
            super("more than " + limit + " events in one run");
        }
    }

    private record Event(long time, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            final int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final long maxEvents;
    private long now;
    private long seq;
    private long events;

    Sim(long maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** True time in nanoseconds since the run began. */
    long now() {
        return now;
    }

    long events() {
        return events;
    }

    /** Runs {@code action} at true time {@code time} (now, if that is past). */
    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action));
    }

    void after(long delayNanos, Runnable action) {
        at(now + Math.max(0, delayNanos), action);
    }

    /** Runs every event due up to {@code time} in order, then sets the time to it. */
    void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            final Event e = queue.poll();
            now = Math.max(now, e.time);
            if (++events > maxEvents) {
                throw new TooManyEvents(maxEvents);
            }
            e.action.run();
        }
        now = Math.max(now, time);
    }

    /**
     * Runs events in order for as long as {@code waiting} holds. One of them must end the wait (a
     * stopped process's resumption is always queued); a queue that runs dry first is a bug.
     */
    void runWhile(BooleanSupplier waiting) {
        while (waiting.getAsBoolean()) {
            if (queue.isEmpty()) {
                throw new IllegalStateException("no event left to end a wait at " + now + " ns");
            }
            runUntil(queue.peek().time);
        }
    }
}
