package io.flakeproof.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a violating run to the fewest faults that still reproduce a violation: removes faults one
 * at a time while the run still fails, until no single removal keeps it failing (or the budget of
 * re-runs is spent). Runs are deterministic, so a shrunk schedule replays exactly.
 */
final class Shrinker {

    /** The most re-runs one shrink may take. */
    static final int MAX_RUNS = 300;

    /** A shrunk counterexample: which of the drawn faults were kept (indices), and its replay with a timeline. */
    record Shrunk(List<Integer> kept, RunResult replay, int runs) {
    }

    private Shrinker() {
    }

    static Shrunk shrink(Params params, List<Fault> drawn) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            kept.add(i);
        }
        int runs = 0;
        boolean progress = true;
        while (progress && runs < MAX_RUNS) {
            progress = false;
            for (int i = 0; i < kept.size() && runs < MAX_RUNS; i++) {
                final List<Integer> without = new ArrayList<>(kept);
                without.remove(i);
                runs++;
                if (run(params, drawn, without, false).violated()) {
                    kept = without;
                    progress = true;
                    i--;
                }
            }
        }
        return new Shrunk(List.copyOf(kept), replay(params, drawn, kept), runs + 2);
    }

    static RunResult run(Params params, List<Fault> drawn, List<Integer> kept, boolean timeline) {
        return new World(params, select(drawn, kept), timeline).run();
    }

    /** Runs the kept faults with a timeline, and again marking every mint of the first duplicate it finds. */
    static RunResult replay(Params params, List<Fault> drawn, List<Integer> kept) {
        final RunResult first = run(params, drawn, kept, false);
        if (first.ids().duplicatedIds().isEmpty()) {
            return run(params, drawn, kept, true);
        }
        return new World(params, select(drawn, kept), true, first.ids().duplicatedIds().get(0)).run();
    }

    private static List<Fault> select(List<Fault> drawn, List<Integer> kept) {
        final List<Fault> faults = new ArrayList<>();
        for (int i : kept) {
            faults.add(drawn.get(i));
        }
        return faults;
    }
}
