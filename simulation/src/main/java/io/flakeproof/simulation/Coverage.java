package io.flakeproof.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How often each dangerous path was reached (Antithesis' "sometimes" assertions). A campaign that
 * never reached one proves nothing about it, and says so ("weak campaign").
 */
final class Coverage {

    static final String TAKEOVER_WHILE_OLD_MINTS = "takeover while the old holder still mints";
    static final String MINT_AT_CEILING = "mint in the last tick below a ceiling";
    static final String UNKNOWN_APPLIED = "unknown write resolved as applied";
    static final String UNKNOWN_NOT_APPLIED = "unknown write resolved as not applied";
    static final String PAUSED_ACROSS_CAS = "caller paused across the ceiling check and the CAS";
    static final String FLOOR_AHEAD = "claim whose floor is ahead of the claimant's clock";
    static final String ABSORBED = "absorbed backward step";
    static final String CEILING_REFUSAL = "refusal at the ceiling";

    /** Faults that cut a live holder off while it goes on minting: the way to a takeover beside it. */
    private static final List<Fault.Kind> CUT_OFF = List.of(Fault.Kind.PAUSE, Fault.Kind.VM_SUSPEND,
            Fault.Kind.PARTITION, Fault.Kind.FOLLOWER_CUT, Fault.Kind.CHECK_CAS_PAUSE);

    /** Faults that stop renewals while a holder mints: the way to its ceiling. */
    private static final List<Fault.Kind> RENEWALS_STOP = List.of(Fault.Kind.PAUSE, Fault.Kind.VM_SUSPEND,
            Fault.Kind.PARTITION, Fault.Kind.FOLLOWER_CUT, Fault.Kind.CHECK_CAS_PAUSE, Fault.Kind.QUORUM_LOSS,
            Fault.Kind.STORM);

    /**
     * The paths a fenced campaign of {@code scenario} must reach: those its faults lead to. Lost
     * acknowledgements and floors ahead of a claimant's clock come with every scenario (the network's own
     * rates, crashes and restarts); a takeover beside a live holder needs a fault that cuts one off; a
     * ceiling needs renewals to stop; the pause across the check and the CAS its own fault; an absorbed
     * backward step the absorb policy and clock steps.
     */
    static List<String> required(Scenario scenario, boolean absorb) {
        final List<String> paths = new ArrayList<>(List.of(UNKNOWN_APPLIED, UNKNOWN_NOT_APPLIED, FLOOR_AHEAD));
        if (CUT_OFF.stream().anyMatch(scenario::injects)) {
            paths.add(TAKEOVER_WHILE_OLD_MINTS);
        }
        if (RENEWALS_STOP.stream().anyMatch(scenario::injects)) {
            paths.add(MINT_AT_CEILING);
            paths.add(CEILING_REFUSAL);
        }
        if (scenario.injects(Fault.Kind.CHECK_CAS_PAUSE)) {
            paths.add(PAUSED_ACROSS_CAS);
        }
        if (absorb && scenario.injects(Fault.Kind.CLOCK_STEP)) {
            paths.add(ABSORBED);
        }
        return paths;
    }

    private final TreeMap<String, Long> counts = new TreeMap<>();

    void hit(String path) {
        counts.merge(path, 1L, Long::sum);
    }

    void add(String path, long n) {
        if (n > 0) {
            counts.merge(path, n, Long::sum);
        }
    }

    void addAll(Coverage other) {
        other.counts.forEach(this::add);
    }

    long count(String path) {
        return counts.getOrDefault(path, 0L);
    }

    Map<String, Long> counts() {
        return counts;
    }
}
