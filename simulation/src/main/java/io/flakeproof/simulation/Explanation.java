package io.flakeproof.simulation;

import java.util.List;

/** One sentence on why two equal IDs were minted, from the terms that minted their tick. */
final class Explanation {

    private Explanation() {
    }

    static String of(World world, RunResult.Ids ids) {
        if (ids.duplicatedIds().isEmpty()) {
            return ids.violations().isEmpty() ? "no violation" : ids.violations().get(0);
        }
        final long id = ids.duplicatedIds().get(0);
        final long worker = world.layout().workerOf(id);
        final long tick = world.layout().tickOf(id);
        final List<Checker.Term> terms = world.checker().termsCovering(id);
        if (terms.size() < 2) {
            return "ID " + id + " (worker " + worker + ", tick " + tick + ") was handed out twice by "
                    + (terms.isEmpty() ? "one generator" : terms.get(0).label)
                    + ": one generator minted it for two callers";
        }
        final Checker.Term a = terms.get(0);
        final Checker.Term b = terms.get(1);
        return "ID " + id + " was minted twice: " + a.label + " minted ticks " + a.minTick + ".." + a.maxTick + " and "
                + b.label + " minted ticks " + b.minTick + ".." + b.maxTick + " under the same worker " + worker
                + ", so both minted in tick " + tick + " with the same sequence";
    }
}
