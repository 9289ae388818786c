package io.flakeproof.reports;

import java.util.ArrayList;
import java.util.List;

/**
 * What a report run runs, full or quick. The campaigns cover every protocol: the fenced one under
 * every scenario (and the mixed one under each drift policy), each naive protocol in the scenario
 * that reaches its flaw (as {@code .ci/run} does). Quick bounds keep a run under three minutes on two
 * cores; the full run is the one the README quotes.
 */
record Plan(boolean quick, List<Campaign> campaigns, List<Long> windowsMs, int windowSeeds, String jcstressMode,
        String jcstressTime, List<String> jmhThroughputImpls, List<String> jmhEveryCallImpls, List<String> jmhOptions,
        boolean jmhTwoThreads, int loadRate, String loadWarmup, String loadDuration, boolean loadBatches, PgStudy.Plan pg) {

    /** One campaign: {@code flakeproof simulate} with these arguments. */
    record Campaign(String protocol, String scenario, String policy, long seeds) {
        String name() {
            return protocol + "-" + scenario + "-" + policy.replace(':', '_');
        }

        boolean control() {
            return !protocol.equals("fenced");
        }

        List<String> args() {
            return List.of("--protocol", protocol, "--scenario", scenario, "--policy", policy, "--seeds", Long.toString(seeds));
        }

        String command() {
            return "./flakeproof simulate " + String.join(" ", args());
        }
    }

    /** Every scenario the simulator knows. */
    static final List<String> SCENARIOS = List.of("clock", "pause", "partition", "crash", "zookeeper", "identity", "mixed");

    /** The naive protocols and the scenario that reaches each one's flaw. */
    static final List<String[]> CONTROLS = List.of(new String[] {"seed-quarantine", "pause"},
            new String[] {"seed-quarantine", "mixed"}, new String[] {"ephemeral-only", "pause"},
            new String[] {"static-config", "identity"}, new String[] {"leaf-like", "crash"},
            new String[] {"fenced-no-cluster-check", "zookeeper"});

    static final List<String> ALL_IMPLS = List.of("FLAKEPROOF", "FLAKEPROOF_UNCAPPED", "FLAKEPROOF_CLIENT", "JDK_UUID4",
            "UUIDV7", "TSID", "HUTOOL", "AGRONA", "COSID", "COSID_SEGMENT_CHAIN", "SYNCHRONIZED_SEED", "CURRENT_TIME_MILLIS");

    static Plan of(boolean quick) {
        final List<Campaign> c = new ArrayList<>();
        final long fencedSeeds = quick ? 20 : 1000;
        for (String s : SCENARIOS) {
            // crash reaches a takeover beside a live holder only through its rare pauses: it needs more seeds
            final long quickSeeds = s.equals("mixed") || s.equals("crash") ? 60 : fencedSeeds;
            c.add(new Campaign("fenced", s, "absorb:5ms:1s", quick ? quickSeeds : s.equals("mixed") ? 3000 : fencedSeeds));
        }
        c.add(new Campaign("fenced", "mixed", "fail", fencedSeeds));
        c.add(new Campaign("fenced", "mixed", "wait:1s", fencedSeeds));
        for (String[] control : CONTROLS) {
            final boolean rare = control[0].equals("seed-quarantine");
            if (quick && rare && control[1].equals("mixed")) {
                continue; // its first collision is at seed 501 of mixed: the full run only
            }
            // quick: enough seeds to reach each control's first collision (seed 80 of seed-quarantine's pause, 5 of
            // leaf-like's crash, 1 of the others), each shrunk; the full run goes on for hundreds more
            c.add(new Campaign(control[0], control[1], "absorb:5ms:1s", quick ? (rare ? 100 : 5) : (rare ? 1000 : 300)));
        }
        if (quick) {
            return new Plan(true, c, List.of(300L, 3000L, 10000L), 10, "sanity", "20",
                    List.of("FLAKEPROOF", "FLAKEPROOF_UNCAPPED", "FLAKEPROOF_CLIENT", "JDK_UUID4", "UUIDV7", "TSID",
                            "SYNCHRONIZED_SEED"),
                    List.of("FLAKEPROOF", "JDK_UUID4", "UUIDV7", "TSID", "SYNCHRONIZED_SEED"),
                    List.of("-f", "1", "-wi", "1", "-w", "300ms", "-i", "1", "-r", "500ms"), false,
                    2000, "5s", "5s", false, PgStudy.Plan.quick());
        }
        return new Plan(false, c, List.of(300L, 1000L, 3000L, 10000L, 30000L), 300, "quick", "200", ALL_IMPLS,
                ALL_IMPLS.stream().filter(i -> !i.equals("FLAKEPROOF_CLIENT") && !i.equals("COSID_SEGMENT_CHAIN")).toList(),
                List.of("-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s"), true,
                2000, "20s", "30s", true, PgStudy.Plan.full());
    }
}
