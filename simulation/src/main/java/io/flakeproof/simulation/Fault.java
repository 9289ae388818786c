package io.flakeproof.simulation;

/**
 * One injected fault, as data: what, when (true time), on which node, how much and for how long.
 * A run's faults are drawn from its seed by its scenario; shrinking removes them one by one.
 *
 * @param at       true time in nanoseconds since the run began
 * @param kind     what happens
 * @param node     the node it happens to (unused by ensemble-wide kinds)
 * @param amount   a clock step in nanoseconds, a drift in ppm, a clock step at restart
 * @param duration how long it lasts, in nanoseconds (0 for instant kinds)
 */
record Fault(long at, Kind kind, int node, long amount, long duration) {

    enum Kind {
        /** The node's wall clock steps by {@code amount} ns (negative: backwards). */
        CLOCK_STEP,
        /** NTP sets the node's wall clock back in line with true time. */
        CLOCK_CORRECT,
        /** The node's wall clock drifts by {@code amount} ppm for {@code duration}, then runs true. */
        SLEW,
        /** The process stops (GC, SIGSTOP) for {@code duration}. */
        PAUSE,
        /** The VM is suspended for {@code duration}: the process stops and the monotonic clock stalls. */
        VM_SUSPEND,
        /** The next caller stops for {@code duration} between the generator's ceiling check and its CAS. */
        CHECK_CAS_PAUSE,
        /** The process dies; after {@code duration} it restarts with its clock stepped by {@code amount} ns. */
        CRASH,
        /** The node cannot reach ZooKeeper for {@code duration}. */
        PARTITION,
        /** The process stops gracefully (releases its worker) and starts again {@code duration} later. */
        RESTART,
        /** The node's server is cut off from the leader for {@code duration}: pings answered, writes fail. */
        FOLLOWER_CUT,
        /** A new ZooKeeper leader: every session gets a full timeout again. */
        LEADER_CHANGE,
        /** ZooKeeper has no quorum for {@code duration}. */
        QUORUM_LOSS,
        /** For {@code duration}, requests are dropped and acknowledgements lost at {@code amount}%, listings stale. */
        STORM,
        /** The ensemble is wiped: every record, owner and session is gone. */
        WIPE,
        /**
         * The ensemble is snapshotted now and restored from that snapshot {@code duration} later: every
         * write and session since is lost, and the cluster id is the same (docs/lease-protocol.md's
         * durability assumption; no check can see it).
         */
        ROLLBACK,
        /** A second process starts with the node's configuration on the node's host. */
        TWIN_START
    }

    /** One line for a timeline. */
    String describe() {
        final String who = "node " + node;
        return switch (kind) {
            case CLOCK_STEP -> who + "'s clock steps " + Timeline.millis(amount);
            case CLOCK_CORRECT -> who + "'s clock is corrected by NTP";
            case SLEW -> who + "'s clock drifts " + amount + " ppm for " + Timeline.millis(duration);
            case PAUSE -> who + " pauses (GC, SIGSTOP) for " + Timeline.millis(duration);
            case VM_SUSPEND -> who + "'s VM is suspended for " + Timeline.millis(duration);
            case CHECK_CAS_PAUSE -> "a caller on " + who + " stops between the ceiling check and the CAS for "
                    + Timeline.millis(duration);
            case CRASH -> who + " crashes; restarts " + Timeline.millis(duration) + " later, clock stepped "
                    + Timeline.millis(amount);
            case RESTART -> who + " stops gracefully and starts again " + Timeline.millis(duration) + " later";
            case PARTITION -> who + " is cut off from ZooKeeper for " + Timeline.millis(duration);
            case FOLLOWER_CUT -> who + "'s ZooKeeper server is cut off from the leader for " + Timeline.millis(duration);
            case LEADER_CHANGE -> "ZooKeeper elects a new leader";
            case QUORUM_LOSS -> "ZooKeeper loses quorum for " + Timeline.millis(duration);
            case STORM -> "requests dropped and acknowledgements lost at " + amount + "%, listings stale, for "
                    + Timeline.millis(duration);
            case WIPE -> "the ZooKeeper ensemble is wiped";
            case ROLLBACK -> "ZooKeeper is snapshotted, and restored from that snapshot " + Timeline.millis(duration)
                    + " later";
            case TWIN_START -> "a second process starts with " + who + "'s configuration on its host";
        };
    }
}
