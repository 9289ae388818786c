package io.flakeproof.simulation;

import java.util.Arrays;
import java.util.List;

/**
 * A bounded, exhaustive, breadth-first search of a {@link SmallWorld}: every order of its events up to
 * a depth, with the faults and clock steps of a path bounded, states deduplicated by the 128-bit hash of
 * their canonical encoding ({@link SmallWorld#key()}). Breadth first, so the first violation found has a
 * shortest event sequence.
 *
 * <p>The processes hold the real, mutable lease classes, which cannot be copied; a state is kept as the
 * event that reached it and its parent, and reconstructed by replaying its path from a new world (the
 * world is deterministic). Memory per state: two ints of path and 16 bytes of hash. Single-threaded.
 */
final class Explorer {

    /** What a search found. */
    record Result(SmallWorld.Bounds bounds, int maxDepth, long transitions, long distinct, int depthReached,
            boolean exhausted, String violation, int[] path, List<Timeline.Entry> timeline) {

        boolean violated() {
            return violation != null;
        }
    }

    /** Called after each level: the level, its new states, and the totals so far. */
    interface Progress {
        void level(int depth, long levelStates, long distinct, long transitions);
    }

    /** The most states a search may keep: beyond, it stops with an error rather than exhaust the heap. */
    static final int MAX_STATES = 150_000_000;

    private final SmallWorld.Bounds bounds;
    private int[] parent = new int[1 << 16];
    private int[] via = new int[1 << 16];
    private int count;
    private final Visited visited = new Visited();
    private long transitions;

    private Explorer(SmallWorld.Bounds bounds) {
        this.bounds = bounds;
    }

    /** Searches every path of up to {@code maxDepth} events. */
    static Result explore(SmallWorld.Bounds bounds, int maxDepth, Progress progress) {
        return new Explorer(bounds).run(maxDepth, progress);
    }

    /** Replays {@code path} in a new world. */
    static SmallWorld replay(SmallWorld.Bounds bounds, int[] path, boolean keepTimeline) {
        final SmallWorld w = new SmallWorld(bounds, keepTimeline);
        for (int e : path) {
            w.apply(e);
        }
        return w;
    }

    private Result run(int maxDepth, Progress progress) {
        final SmallWorld root = new SmallWorld(bounds, false);
        visited.add(root.key().hash());
        add(-1, -1);
        int levelStart = 0;
        int depth = 0;
        while (depth < maxDepth && levelStart < count) {
            final int levelEnd = count;
            for (int s = levelStart; s < levelEnd; s++) {
                final int[] path = pathTo(s);
                SmallWorld w = replay(bounds, path, false);
                final List<Integer> events = w.enabled();
                for (int j = 0; j < events.size(); j++) {
                    if (j > 0) {
                        w = replay(bounds, path, false);
                    }
                    final int e = events.get(j);
                    w.apply(e);
                    transitions++;
                    if (w.violation() != null) {
                        final int[] found = Arrays.copyOf(path, path.length + 1);
                        found[path.length] = e;
                        final SmallWorld shown = replay(bounds, found, true);
                        return new Result(bounds, maxDepth, transitions, visited.size(), depth + 1, false,
                                shown.violation(), found, shown.timeline());
                    }
                    if (visited.add(w.key().hash())) {
                        add(s, e);
                    }
                }
            }
            levelStart = levelEnd;
            depth++;
            progress.level(depth, count - levelEnd, visited.size(), transitions);
        }
        final boolean exhausted = levelStart >= count;
        return new Result(bounds, maxDepth, transitions, visited.size(), exhausted ? depth - 1 : depth, exhausted,
                null, null, List.of());
    }

    private void add(int from, int event) {
        if (count == MAX_STATES) {
            throw new IllegalStateException("more than " + MAX_STATES + " states: lower --depth");
        }
        if (count == parent.length) {
            parent = Arrays.copyOf(parent, count * 2);
            via = Arrays.copyOf(via, count * 2);
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

    /** An open-addressing set of 128-bit hashes. */
    private static final class Visited {
        private long[] a = new long[1 << 17];
        private long[] b = new long[1 << 17];
        private boolean[] used = new boolean[1 << 17];
        private long size;

        long size() {
            return size;
        }

        /** Adds a hash; whether it was new. */
        boolean add(long[] h) {
            if (size * 2 >= used.length) {
                grow();
            }
            return insert(h[0], h[1]);
        }

        private boolean insert(long x, long y) {
            final int mask = used.length - 1;
            for (int i = (int) (x ^ x >>> 32) & mask; ; i = i + 1 & mask) {
                if (!used[i]) {
                    used[i] = true;
                    a[i] = x;
                    b[i] = y;
                    size++;
                    return true;
                }
                if (a[i] == x && b[i] == y) {
                    return false;
                }
            }
        }

        private void grow() {
            final long[] oldA = a;
            final long[] oldB = b;
            final boolean[] oldUsed = used;
            a = new long[oldA.length * 2];
            b = new long[oldB.length * 2];
            used = new boolean[oldUsed.length * 2];
            size = 0;
            for (int i = 0; i < oldUsed.length; i++) {
                if (oldUsed[i]) {
                    insert(oldA[i], oldB[i]);
                }
            }
        }
    }
}
