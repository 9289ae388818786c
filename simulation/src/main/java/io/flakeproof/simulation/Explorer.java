package io.flakeproof.simulation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded, exhaustive, breadth-first search of a {@link SmallWorld}: every order of its events up to
 * a depth, with the faults and clock steps of a path bounded, states deduplicated by the 128-bit hash of
 * their canonical encoding ({@link SmallWorld#hash}: under the reduction, up to the order of the slots).
 * Breadth first, so the first violation found has the fewest events the search chooses (the world's
 * reduction may add events that need no choice).
 *
 * <p><b>States, not paths.</b> The processes hold the real, mutable lease classes, which cannot be
 * copied; a state is kept as the event that reached it and its parent, and reconstructed by replaying
 * its path from a new world (the world is deterministic). Memory per state: two ints of path, and 17
 * bytes in the set of states seen.
 *
 * <p><b>Faults spent are no part of a state.</b> Two visits of one state differ only in what is left
 * of the path's budgets: the depth and the faults. The set of states seen keeps, per state, the fewest
 * faults any visit had spent. A visit that spent as many or more comes at the same depth or deeper
 * (breadth first), so everything it could reach, the earlier visit reaches too: it is not explored
 * again. A visit that spent fewer faults is explored again, since it may afford a fault the earlier
 * one could not. Clock steps and ticks are in the state itself ({@link SmallWorld#key}).
 *
 * <p><b>Threads.</b> The states of one level are expanded in chunks by worker threads, each replaying
 * into worlds of its own; the main thread takes the chunks' children in order, so the states kept, the
 * counts and the violation reported are those of a search on one thread.
 */
final class Explorer {

    /**
     * What a search found. {@code path} is the violating path's events as the search chose them;
     * {@code trace} the same with the events the reduction added ({@link SmallWorld#applied}), a path of
     * the world without the reduction.
     */
    record Result(SmallWorld.Bounds bounds, int maxDepth, long transitions, long distinct, int depthReached,
            boolean exhausted, String violation, int[] path, int[] trace, List<Timeline.Entry> timeline) {

        boolean violated() {
            return violation != null;
        }

        /** The violating trace's length, every event counted. */
        int events() {
            return trace.length;
        }
    }

    /** Called after each level: the level, its new states, and the totals so far. */
    interface Progress {
        void level(int depth, long levelStates, long distinct, long transitions);
    }

    /** The most states a search may keep: beyond, it stops with an error rather than exhaust the heap. */
    static final int MAX_STATES = 250_000_000;

    /** States per chunk a worker thread expands at once. */
    private static final int CHUNK = 512;

    /** Chunks handed out ahead of the one being merged: enough to keep every worker busy. */
    private static final int AHEAD = 64;

    private final SmallWorld.Bounds bounds;
    private int[] parent = new int[1 << 16];
    private int[] via = new int[1 << 16];
    private int count;
    private final Visited visited = new Visited();
    private long transitions;

    private Explorer(SmallWorld.Bounds bounds) {
        this.bounds = bounds;
    }

    /** Searches every path of up to {@code maxDepth} events on one thread. */
    static Result explore(SmallWorld.Bounds bounds, int maxDepth, Progress progress) {
        return explore(bounds, maxDepth, 1, progress);
    }

    /** Searches every path of up to {@code maxDepth} events, expanding each level on {@code threads} threads. */
    static Result explore(SmallWorld.Bounds bounds, int maxDepth, int threads, Progress progress) {
        final ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            final Thread t = new Thread(r, "explore");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Explorer(bounds).run(maxDepth, pool, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Replays {@code path} in a new world. */
    static SmallWorld replay(SmallWorld.Bounds bounds, int[] path, boolean keepTimeline) {
        final SmallWorld w = new SmallWorld(bounds, keepTimeline);
        for (int e : path) {
            w.apply(e);
        }
        return w;
    }

    /** The children of a chunk of states, in order: per child its parent, event, hash and faults spent. */
    private static final class Children {
        int size;
        int[] from = new int[CHUNK * 4];
        int[] event = new int[CHUNK * 4];
        long[] hashes = new long[CHUNK * 8];
        byte[] faults = new byte[CHUNK * 4];
        /** Transitions tried, up to and including a violating one. */
        long tried;
        /** The first violating path of the chunk, or null. */
        int[] violating;

        void add(int parentState, int e, long[] hash, int spent) {
            if (size == from.length) {
                from = Arrays.copyOf(from, size * 2);
                event = Arrays.copyOf(event, size * 2);
                hashes = Arrays.copyOf(hashes, size * 4);
                faults = Arrays.copyOf(faults, size * 2);
            }
            from[size] = parentState;
            event[size] = e;
            hashes[2 * size] = hash[0];
            hashes[2 * size + 1] = hash[1];
            faults[size] = (byte) spent;
            size++;
        }
    }

    /** Expands states {@code [first, end)} of the current level: every enabled event of each, in order. */
    private Children expand(int first, int end, int[][] paths) {
        final Children out = new Children();
        final StateKey key = new StateKey();
        for (int s = first; s < end; s++) {
            final int[] path = paths[s - first];
            SmallWorld w = replay(bounds, path, false);
            final List<Integer> events = w.enabled();
            for (int j = 0; j < events.size(); j++) {
                if (j > 0) {
                    w = replay(bounds, path, false);
                }
                final int e = events.get(j);
                w.apply(e);
                out.tried++;
                if (w.violation() != null) {
                    out.violating = Arrays.copyOf(path, path.length + 1);
                    out.violating[path.length] = e;
                    return out;
                }
                out.add(s, e, w.hash(key), w.faults());
            }
        }
        return out;
    }

    private Result run(int maxDepth, ExecutorService pool, Progress progress) {
        final SmallWorld root = new SmallWorld(bounds, false);
        visited.add(root.hash(new StateKey()), 0);
        add(-1, -1);
        int levelStart = 0;
        int depth = 0;
        while (depth < maxDepth && levelStart < count) {
            final int levelEnd = count;
            final ArrayDeque<Future<Children>> running = new ArrayDeque<>();
            int next = levelStart;
            while (next < levelEnd || !running.isEmpty()) {
                while (next < levelEnd && running.size() < AHEAD) {
                    final int first = next;
                    final int end = Math.min(levelEnd, first + CHUNK);
                    final int[][] paths = new int[end - first][];
                    for (int s = first; s < end; s++) {
                        paths[s - first] = pathTo(s);
                    }
                    running.add(pool.submit(() -> expand(first, end, paths)));
                    next = end;
                }
                final Children c = take(running.remove());
                transitions += c.tried;
                for (int i = 0; i < c.size; i++) {
                    if (visited.add(c.hashes[2 * i], c.hashes[2 * i + 1], c.faults[i])) {
                        add(c.from[i], c.event[i]);
                    }
                }
                if (c.violating != null) {
                    running.forEach(f -> f.cancel(true));
                    final SmallWorld shown = replay(bounds, c.violating, true);
                    return new Result(bounds, maxDepth, transitions, visited.size(), depth + 1, false,
                            shown.violation(), c.violating, shown.applied(), shown.timeline());
                }
            }
            levelStart = levelEnd;
            depth++;
            progress.level(depth, count - levelEnd, visited.size(), transitions);
        }
        final boolean exhausted = levelStart >= count;
        return new Result(bounds, maxDepth, transitions, visited.size(), exhausted ? depth - 1 : depth, exhausted,
                null, null, new int[0], List.of());
    }

    private static Children take(Future<Children> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void add(int from, int event) {
        if (count == MAX_STATES) {
            throw new IllegalStateException("more than " + MAX_STATES + " states: lower --depth");
        }
        if (count == parent.length) {
            final int grown = (int) Math.min(MAX_STATES, count * 2L);
            parent = Arrays.copyOf(parent, grown);
            via = Arrays.copyOf(via, grown);
        }
        parent[count] = from;
        via[count] = event;
        count++;
    }

    private int[] pathTo(int state) {
        int length = 0;
        for (int s = state; parent[s] >= 0; s = parent[s]) {
            length++;
        }
        final int[] path = new int[length];
        for (int s = state; parent[s] >= 0; s = parent[s]) {
            path[--length] = via[s];
        }
        return path;
    }

    /**
     * An open-addressing set of 128-bit hashes, each with the fewest faults spent by a visit of its state.
     * A slot is empty when both halves are zero; a hash that is zero is stored as (0, 1).
     */
    static final class Visited {
        private long[] a = new long[1 << 17];
        private long[] b = new long[1 << 17];
        private byte[] faults = new byte[1 << 17];
        private long size;

        long size() {
            return size;
        }

        /** Adds a state, or lowers its faults spent; whether it is to be explored (new, or with fewer faults). */
        boolean add(long[] h, int spent) {
            return add(h[0], h[1], spent);
        }

        /** {@link #add(long[], int)} for a hash given as its two halves. */
        boolean add(long x, long y, int spent) {
            if (size * 2 >= a.length) {
                grow();
            }
            return insert(x, x == 0 && y == 0 ? 1 : y, (byte) spent);
        }

        private boolean insert(long x, long y, byte spent) {
            final int mask = a.length - 1;
            for (int i = (int) (x ^ x >>> 32) & mask; ; i = i + 1 & mask) {
                if (a[i] == 0 && b[i] == 0) {
                    a[i] = x;
                    b[i] = y;
                    faults[i] = spent;
                    size++;
                    return true;
                }
                if (a[i] == x && b[i] == y) {
                    if (spent < faults[i]) {
                        faults[i] = spent;
                        return true;
                    }
                    return false;
                }
            }
        }

        private void grow() {
            final long[] oldA = a;
            final long[] oldB = b;
            final byte[] oldFaults = faults;
            a = new long[oldA.length * 2];
            b = new long[oldB.length * 2];
            faults = new byte[oldFaults.length * 2];
            size = 0;
            for (int i = 0; i < oldA.length; i++) {
                if (oldA[i] != 0 || oldB[i] != 0) {
                    insert(oldA[i], oldB[i], oldFaults[i]);
                }
            }
        }
    }
}
