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
        return new Shrunk(List.copyOf(kept), run(params, drawn, kept, true), runs + 1);
    }

    static RunResult run(Params params, List<Fault> drawn, List<Integer> kept, boolean timeline) {
        final List<Fault> faults = new ArrayList<>();
        for (int i : kept) {
            faults.add(drawn.get(i));
        }
        return new World(params, faults, timeline).run();
    }
}
