package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.lease.LeaseTerm;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One simulated run: a fleet of nodes running a protocol against one simulated ZooKeeper, the faults
 * of its schedule, the checkers, and the coverage of dangerous paths. Deterministic: one thread, one
 * seed split per subsystem (parameters, faults, network, each node's callers and identities), and no
 * hash-ordered iteration in any decision.
 */
final class World {

    /** Events one run may process at most: far above any real run, it stops a livelock. */
    static final long MAX_EVENTS = 50_000_000;

    private final Params params;
    private final List<Fault> faults;
    private final Sim sim = new Sim(MAX_EVENTS);
    private final BitLayout layout;
    private final Protocol protocol;
    private final SimClock leaderClock;
    private final ZooKeeperSim zk;
    private final Network network;
    private final SplittableRandom nodeRandom;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Checker checker;
    private final Coverage coverage = new Coverage();
    private final Timeline timeline;
    /** Per worker, the newest holder epoch granted. */
    private final TreeMap<Long, Long> newestEpoch = new TreeMap<>();
    private final long watchId;
    /** The term of each generator in service. */
    private final IdentityHashMap<SnowflakeGenerator, LeaseTerm> termOf = new IdentityHashMap<>();

    World(Params params, List<Fault> faults, boolean keepTimeline) {
        this(params, faults, keepTimeline, Long.MIN_VALUE);
    }

    /** @param watchId an ID whose every mint the timeline marks (a counterexample's duplicate), or MIN_VALUE */
    World(Params params, List<Fault> faults, boolean keepTimeline, long watchId) {
        this.watchId = watchId;
        this.params = params;
        this.faults = List.copyOf(faults);
        this.layout = params.layout();
        this.protocol = Protocol.named(params.protocol());
        this.checker = new Checker(layout, protocol.fenced(), protocol.fenced()
                ? (params.offsetBoundMillis() + params.windowMillis() + 100) * 1_000_000 : Long.MAX_VALUE);
        this.timeline = new Timeline(keepTimeline);
        final SplittableRandom root = new SplittableRandom(params.seed());
        this.network = new Network(root.split(), params);
        this.nodeRandom = root.split();
        this.leaderClock = new SimClock(sim, 0);
        this.zk = new ZooKeeperSim(leaderClock);
    }

    // ---- what the parts see ----

    Sim sim() {
        return sim;
    }

    ZooKeeperSim zk() {
        return zk;
    }

    Network network() {
        return network;
    }

    Params params() {
        return params;
    }

    BitLayout layout() {
        return layout;
    }

    Protocol protocol() {
        return protocol;
    }

    Coverage coverage() {
        return coverage;
    }

    Checker checker() {
        return checker;
    }

    List<SimNode> nodes() {
        return nodes;
    }

    /** Whether {@code node} can talk to ZooKeeper: no partition, and a quorum to serve it. */
    boolean reachable(SimNode node) {
        return !node.partitioned && zk.hasQuorum();
    }

    boolean followerCut(SimNode node) {
        return node.followerCut;
    }

    void timeline(SimNode node, String what) {
        if (timeline.enabled()) {
            timeline.add(sim.now(), node == null ? -1 : node.index(), node == null ? 0 : node.clock().offsetNanos(), what);
        }
    }

    // ---- the run ----

    RunResult run() {
        timeline(null, params.describe());
        for (int i = 0; i < params.nodes(); i++) {
            final long offset = (long) ((nodeRandom.nextDouble() * 2 - 1) * params.maxInitialOffsetNanos());
            final SimClock clock = new SimClock(sim, offset);
            if (nodeRandom.nextInt(4) == 0) {
                // A clock that wanders around true time (a periodic NTP correction, thermal drift).
                clock.periodic(nodeRandom.nextLong(Math.max(1, params.maxInitialOffsetNanos() / 2)),
                        10_000_000_000L + nodeRandom.nextLong(50_000_000_000L));
            }
            addNode("node-" + i, clock, null);
        }
        for (Fault f : faults) {
            sim.at(f.at(), () -> apply(f));
        }
        expireSessions();
        String error = null;
        try {
            sim.runUntil(params.durationNanos());
        } catch (Sim.TooManyEvents e) {
            error = e.getMessage();
        } catch (RuntimeException | AssertionError e) {
            // The code under test broke one of its own assertions, or threw where it must not: a finding.
            checker.violation("the code under test threw " + e);
        }
        countGeneratorPaths();
        final RunResult.Ids ids = checker.finish();
        final boolean violated = ids.duplicated() > 0 || !ids.violations().isEmpty();
        return new RunResult(params, faults, ids, coverage, timeline.entries(), sim.events(), error,
                violated ? Explanation.of(this, ids) : "");
    }

    private SimNode addNode(String name, SimClock clock, String storedClusterId) {
        final SimNode node = new SimNode(this, nodes.size(), name, clock, nodeRandom.split(), storedClusterId);
        nodes.add(node);
        // Nodes start a little apart, as a fleet does.
        sim.after(nodeRandom.nextLong(50_000_000), () -> {
            node.start();
            node.startRequests();
        });
        return node;
    }

    private void expireSessions() {
        zk.lag();
        zk.expireDue();
        sim.after(10_000_000, this::expireSessions);
    }

    private void apply(Fault f) {
        final SimNode node = nodes.get(Math.min(f.node(), nodes.size() - 1));
        timeline(node, "FAULT: " + f.describe());
        switch (f.kind()) {
            case CLOCK_STEP -> node.clock().step(f.amount());
            case CLOCK_CORRECT -> node.clock().correct(0);
            case SLEW -> {
                node.clock().drift(f.amount());
                sim.after(f.duration(), () -> node.clock().drift(0));
            }
            case PAUSE -> node.pause(f.duration(), false);
            case VM_SUSPEND -> node.pause(f.duration(), true);
            case CHECK_CAS_PAUSE -> node.pauseNextCheckCas(f.duration());
            case CRASH -> node.crash(f.duration(), f.amount());
            case RESTART -> node.restart(f.duration());
            case PARTITION -> {
                node.partitioned = true;
                sim.after(f.duration(), () -> {
                    node.partitioned = false;
                    timeline(node, "partition heals");
                });
            }
            case FOLLOWER_CUT -> {
                node.followerCut = true;
                sim.after(f.duration(), () -> node.followerCut = false);
            }
            case LEADER_CHANGE -> zk.leaderChange();
            case QUORUM_LOSS -> {
                zk.loseQuorum();
                sim.after(f.duration(), () -> {
                    zk.regainQuorum();
                    timeline(null, "quorum is back, with a new leader");
                });
            }
            case STORM -> {
                network.storm(f.amount() / 100.0, f.amount() / 100.0);
                sim.after(f.duration(), network::calm);
            }
            case WIPE -> zk.wipe();
            case ROLLBACK -> {
                final ZooKeeperSim.Snapshot snapshot = zk.snapshot();
                sim.after(f.duration(), () -> {
                    zk.restore(snapshot);
                    timeline(null, "ZooKeeper is restored from the snapshot: every write since is gone");
                });
            }
            case TWIN_START -> addNode(node.name(), node.clock(), node.storedClusterId());
        }
    }

    // ---- what the protocols report ----

    void granted(SimNode node, LeaseTerm term) {
        newestEpoch.merge(term.workerId(), term.holderEpoch(), Math::max);
        if (term.floorTick() > layout.tickAt(node.clock().wallMillis())) {
            coverage.hit(Coverage.FLOOR_AHEAD);
        }
        timeline(node, "claims worker " + term.workerId() + " epoch " + term.holderEpoch() + ", floor tick "
                + term.floorTick());
    }

    void inService(SimNode node, LeaseTerm term, SnowflakeGenerator generator) {
        termOf.put(generator, term);
        checker.term(generator, node.index(), term.workerId(), term.holderEpoch(), term.floorTick(),
                "node " + node.index() + " (worker " + term.workerId() + ", epoch " + term.holderEpoch() + ")");
        timeline(node, "mints as worker " + term.workerId() + " epoch " + term.holderEpoch() + " above tick "
                + term.floorTick() + ", ceiling " + term.lease().acknowledgedCeilingTick());
    }

    void minted(SimNode node, SnowflakeGenerator g, long before, long[] ids) {
        final LeaseTerm term = termOf.get(g);
        final long ceiling = term == null ? Long.MAX_VALUE : term.lease().acknowledgedCeilingTick();
        checker.minted(node, g, before, ids, sim.now(), ceiling);
        if (watchId != Long.MIN_VALUE && java.util.Arrays.binarySearch(ids, watchId) >= 0) {
            timeline(node, "MINTS ID " + watchId + " (worker " + layout.workerOf(watchId) + ", tick "
                    + layout.tickOf(watchId) + ", sequence " + layout.decode(watchId).sequence() + ")"
                    + (term == null ? "" : " under epoch " + term.holderEpoch() + ", ceiling " + ceiling));
        }
        if (term != null) {
            if (newestEpoch.getOrDefault(term.workerId(), 0L) > term.holderEpoch()) {
                coverage.hit(Coverage.TAKEOVER_WHILE_OLD_MINTS);
            }
            if (layout.tickOf(ids[ids.length - 1]) == ceiling) {
                coverage.hit(Coverage.MINT_AT_CEILING);
            }
        }
    }

    void refused(SimNode node, String cause) {
        checker.refused(node, cause, sim.now());
    }

    void refusal(SimNode node, MintRefusedException e) {
        checker.refused(node, e.cause().name().toLowerCase(java.util.Locale.ROOT), sim.now());
        if (e.cause() == MintRefusedException.Cause.CEILING_REACHED) {
            coverage.hit(Coverage.CEILING_REFUSAL);
        }
    }

    /** Sums what the generators counted (absorbed backward steps) into the coverage, at the end of a run. */
    void countGeneratorPaths() {
        for (SnowflakeGenerator g : termOf.keySet()) {
            coverage.add(Coverage.ABSORBED, g.stats().borrowedTicks());
        }
    }
}
