package io.flakeproof.simulation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Named mixes of faults. Each draws a run's fault schedule from its own random stream, so the
 * schedule is data: printed, replayed from the seed, and shrunk by removing faults.
 */
enum Scenario {
    CLOCK(w(Fault.Kind.CLOCK_STEP, 6), w(Fault.Kind.CLOCK_CORRECT, 1), w(Fault.Kind.SLEW, 2), w(Fault.Kind.CRASH, 1)),
    PAUSE(w(Fault.Kind.PAUSE, 4), w(Fault.Kind.VM_SUSPEND, 3), w(Fault.Kind.CHECK_CAS_PAUSE, 3)),
    PARTITION(w(Fault.Kind.PARTITION, 5), w(Fault.Kind.FOLLOWER_CUT, 3), w(Fault.Kind.STORM, 1)),
    CRASH(w(Fault.Kind.CRASH, 5), w(Fault.Kind.RESTART, 3), w(Fault.Kind.PAUSE, 1), w(Fault.Kind.CLOCK_STEP, 1)),
    ZOOKEEPER(w(Fault.Kind.LEADER_CHANGE, 2), w(Fault.Kind.QUORUM_LOSS, 3), w(Fault.Kind.STORM, 3),
            w(Fault.Kind.FOLLOWER_CUT, 2), w(Fault.Kind.WIPE, 1)),
    IDENTITY(w(Fault.Kind.TWIN_START, 4), w(Fault.Kind.CRASH, 2), w(Fault.Kind.RESTART, 1), w(Fault.Kind.STORM, 1)),
    MIXED(w(Fault.Kind.CLOCK_STEP, 3), w(Fault.Kind.CLOCK_CORRECT, 1), w(Fault.Kind.SLEW, 1), w(Fault.Kind.PAUSE, 2),
            w(Fault.Kind.VM_SUSPEND, 1), w(Fault.Kind.CHECK_CAS_PAUSE, 2), w(Fault.Kind.CRASH, 2), w(Fault.Kind.RESTART, 2),
            w(Fault.Kind.PARTITION, 2), w(Fault.Kind.FOLLOWER_CUT, 1), w(Fault.Kind.LEADER_CHANGE, 1),
            w(Fault.Kind.QUORUM_LOSS, 1), w(Fault.Kind.STORM, 2), w(Fault.Kind.TWIN_START, 1)),
    /**
     * The ensemble rolled back to a snapshot of itself: outside every assumption of the fenced protocol
     * (durability), so a demonstration that it then collides, like a negative control; no clean campaign
     * runs it. Takeovers (crashes, restarts, partitions) while the snapshot ages make records that the
     * restore takes back.
     */
    ROLLBACK(w(Fault.Kind.ROLLBACK, 3), w(Fault.Kind.CRASH, 2), w(Fault.Kind.RESTART, 2), w(Fault.Kind.PARTITION, 2));

    private record Weighted(Fault.Kind kind, int weight) {
    }

    private static Weighted w(Fault.Kind kind, int weight) {
        return new Weighted(kind, weight);
    }

    private final Weighted[] mix;
    private final int total;

    Scenario(Weighted... mix) {
        this.mix = mix;
        int sum = 0;
        for (Weighted x : mix) {
            sum += x.weight;
        }
        this.total = sum;
    }

    static Scenario parse(String name) {
        for (Scenario s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("scenario must be one of clock, pause, partition, crash, zookeeper, "
                + "identity, mixed, rollback: '" + name + "'");
    }

    /** Whether this scenario's mix injects faults of {@code kind}. */
    boolean injects(Fault.Kind kind) {
        for (Weighted w : mix) {
            if (w.kind == kind) {
                return true;
            }
        }
        return false;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The run's faults, in time order. */
    List<Fault> draw(Params p) {
        final SplittableRandom r = new SplittableRandom(p.seed() ^ 0xFA17L);
        final List<Fault> faults = new ArrayList<>();
        final long window = p.windowMillis() * 1_000_000;
        final long session = p.sessionTimeoutMillis() * 1_000_000;
        final long last = Math.max(2_000_000_000L, p.durationNanos() - 5_000_000_000L);
        for (int i = 0; i < p.faults(); i++) {
            final long at = 1_000_000_000L + r.nextLong(last - 1_000_000_000L);
            final int node = r.nextInt(p.nodes());
            final Fault.Kind kind = pick(r);
            switch (kind) {
                case CLOCK_STEP -> {
                    final long step = switch (r.nextInt(4)) {
                        case 0 -> -(1 + r.nextInt(5)) * 1_000_000L; // small, absorbable
                        case 1 -> -(1_000 + r.nextLong(120_000)) * 1_000_000L; // seconds to minutes back
                        default -> (500 + r.nextLong(600_000)) * 1_000_000L; // forward
                    };
                    faults.add(new Fault(at, kind, node, step, 0));
                    if (step > 0 && r.nextBoolean()) {
                        faults.add(new Fault(at + 1_000_000_000L + r.nextLong(20_000_000_000L), Fault.Kind.CLOCK_CORRECT,
                                node, 0, 0));
                    }
                }
                case CLOCK_CORRECT, LEADER_CHANGE, WIPE, TWIN_START -> faults.add(new Fault(at, kind, node, 0, 0));
                case SLEW -> faults.add(new Fault(at, kind, node, (r.nextBoolean() ? 1 : -1) * (100 + r.nextInt(401)),
                        5_000_000_000L + r.nextLong(25_000_000_000L)));
                case PAUSE -> faults.add(new Fault(at, kind, node, 0, 100_000_000L + r.nextLong(2 * (session + window))));
                case VM_SUSPEND -> faults.add(new Fault(at, kind, node, 0, 500_000_000L + r.nextLong(3 * window)));
                case CHECK_CAS_PAUSE -> faults.add(new Fault(at, kind, node, 0, window + r.nextLong(2 * window + session)));
                case CRASH -> faults.add(new Fault(at, kind, node,
                        r.nextBoolean() ? 0 : -r.nextLong(2 * window + 1), 100_000_000L + r.nextLong(5_000_000_000L)));
                case RESTART -> faults.add(new Fault(at, kind, node, 0, 10_000_000L + r.nextLong(2_000_000_000L)));
                case PARTITION, FOLLOWER_CUT -> faults.add(new Fault(at, kind, node, 0,
                        500_000_000L + r.nextLong(3 * (session + window))));
                case QUORUM_LOSS -> faults.add(new Fault(at, kind, node, 0, 500_000_000L + r.nextLong(2 * window)));
                case STORM -> faults.add(new Fault(at, kind, node, 20 + r.nextInt(31),
                        1_000_000_000L + r.nextLong(9_000_000_000L)));
                case ROLLBACK -> faults.add(new Fault(at, kind, node, 0, window + r.nextLong(10 * window)));
            }
        }
        faults.sort(Comparator.comparingLong(Fault::at));
        return faults;
    }

    private Fault.Kind pick(SplittableRandom r) {
        int x = r.nextInt(total);
        for (Weighted w : mix) {
            x -= w.weight;
            if (x < 0) {
                return w.kind;
            }
        }
        throw new IllegalStateException("weights");
    }
}
