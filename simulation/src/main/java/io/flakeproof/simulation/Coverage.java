package io.flakeproof.simulation;

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

    /** The paths every fenced campaign must reach; the absorbed step only under the absorb policy. */
    static List<String> required(boolean absorb) {
        final List<String> all = List.of(TAKEOVER_WHILE_OLD_MINTS, MINT_AT_CEILING, UNKNOWN_APPLIED,
                UNKNOWN_NOT_APPLIED, PAUSED_ACROSS_CAS, FLOOR_AHEAD, CEILING_REFUSAL);
        if (!absorb) {
            return all;
        }
        final java.util.ArrayList<String> withAbsorb = new java.util.ArrayList<>(all);
        withAbsorb.add(ABSORBED);
        return withAbsorb;
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
