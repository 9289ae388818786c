package io.flakeproof.generator.lease;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One acquisition of a worker, for {@link LeaseCore}: the cluster check, listing, reading candidates,
 * the preference among them, creating a record, the claim, and resolving a claim whose outcome was
 * unknown. Sans-IO, on the core's thread.
 *
 * <p>Steps: {@code CHECKING_CLUSTER -> (CREATING_CLUSTER) -> LISTING -> (READING)* -> (CREATING) ->
 * CLAIMING -> (RESOLVING_CLAIM)}. Preference among workers: a record without an owner
 * whose ceiling is already in the past, then a worker with no record (created first, with the cluster's
 * floor as its ceiling, so that every claim is a versioned write that returns a modification time),
 * then the unowned record with the lowest ceiling.
 */
final class Acquisition {

    /** Unowned records read per acquisition while looking for one whose ceiling is in the past. */
    static final int MAX_READS_PER_ACQUISITION = 8;

    /** Claims that may conflict in a row before the acquisition backs off for the retry delay. */
    static final int MAX_CONFLICTS_IN_A_ROW = 8;

    /** Claims whose late answers are still recognised; older ones are forgotten. */
    static final int MAX_CLAIMS_REMEMBERED = 16;

    /** Where an acquisition ended. */
    sealed interface Outcome {
        /**
         * The claim is applied: {@code version} is the record's, {@code mtimeMillis} its modification
         * time (0 when the claim was learnt of by a read), sent at {@code sentWall}/{@code sentNanos}.
         */
        record Won(long workerId, long holderEpoch, long floorTick, int version, long mtimeMillis, long sentWall,
                long sentNanos) implements Outcome {
        }

        /** No worker this time; the core retries after its delay. */
        record Failed(LeaseCommand.Failure failure, String reason) implements Outcome {
        }
    }

    /** A record that may be claimed: its worker, version and contents. */
    private record Candidate(long workerId, int version, WorkerRecord record) {
    }

    private final BitLayout layout;
    private final long datacenterId;
    private final String holder;
    private final Clock clock;
    private final RandomGenerator random;
    private final ClusterPolicy policy;
    private final long recreateLeadMillis;
    private final LongSupplier nextOp;

    private LeaseCore.Phase step = LeaseCore.Phase.IDLE;
    private ClusterRecord joined;
    /** The cluster record this node is creating. */
    private ClusterRecord creatingCluster;
    private final Deque<Long> toRead = new ArrayDeque<>();
    private long absentCandidate = -1;
    private long ownedAtListing;
    private Candidate fallback;
    private Candidate claiming;
    private WorkerRecord claimed;
    private long sentWall;
    private long sentNanos;
    private int conflictsInARow;
    /** Claims sent whose answer has not come back, by tag: an answer that comes late frees its owner. */
    private final java.util.TreeMap<Long, Long> claimOps = new java.util.TreeMap<>();
    private long lastClaimOp;

    /**
     * @param recreateLeadMillis how far past the clock a cluster re-created on purpose puts its floor:
     *                           the lease window, twice the offset bound and a second
     * @param nextOp             allocates the tag of the next store operation (the core awaits it)
     */
    Acquisition(BitLayout layout, long datacenterId, String holder, Clock clock, RandomGenerator random,
            ClusterPolicy policy, long recreateLeadMillis, LongSupplier nextOp) {
        this.layout = layout;
        this.datacenterId = datacenterId;
        this.holder = holder;
        this.clock = clock;
        this.random = random;
        this.policy = policy;
        this.recreateLeadMillis = recreateLeadMillis;
        this.nextOp = nextOp;
    }

    LeaseCore.Phase step() {
        return step;
    }

    /** The cluster this node joined, or null before the first check passed. */
    ClusterRecord joined() {
        return joined;
    }

    /** Starts again from the cluster check. */
    void begin(List<LeaseCommand> out) {
        step = LeaseCore.Phase.CHECKING_CLUSTER;
        toRead.clear();
        absentCandidate = -1;
        fallback = null;
        claiming = null;
        out.add(new LeaseCommand.ReadCluster(nextOp.getAsLong()));
    }

    /** Asks again whether a claim in doubt was applied (at a wake-up or reconnection). */
    void resolveClaim(List<LeaseCommand> out) {
        out.add(new LeaseCommand.Read(nextOp.getAsLong(), datacenterId, claiming.workerId));
    }

    /** The result of the awaited operation: null while the acquisition goes on, else where it ended. */
    Outcome onResult(StoreResult result, List<LeaseCommand> out) {
        return switch (step) {
            case CHECKING_CLUSTER -> onClusterRead((StoreResult.ClusterRead) result, out);
            case CREATING_CLUSTER -> onClusterCreated((StoreResult.Written) result, out);
            case LISTING -> onListed((StoreResult.Listed) result, out);
            case READING -> onCandidateRead((StoreResult.Read) result, out);
            case CREATING -> onRecordCreated((StoreResult.Written) result, out);
            case CLAIMING -> onClaimed((StoreResult.Written) result, out);
            case RESOLVING_CLAIM -> onClaimResolved((StoreResult.Read) result, out);
            default -> throw new IllegalStateException("no acquisition step awaits a result: " + step);
        };
    }

    // ---- the cluster ----

    private Outcome onClusterRead(StoreResult.ClusterRead read, List<LeaseCommand> out) {
        if (read.kind() != StoreResult.Kind.OK) {
            return failed(LeaseCommand.Failure.STORE, "reading the cluster's record failed: " + read.detail());
        }
        final long recreateFloor = layout.tickAt(clock.wallMillis() + recreateLeadMillis);
        final ClusterPolicy.Decision decision = policy.decide(layout, read.record(), joined, random, recreateFloor);
        if (decision instanceof ClusterPolicy.Decision.Refuse refuse) {
            return failed(LeaseCommand.Failure.CLUSTER_REFUSED, refuse.reason());
        }
        if (decision instanceof ClusterPolicy.Decision.Create create) {
            step = LeaseCore.Phase.CREATING_CLUSTER;
            creatingCluster = create.record();
            out.add(new LeaseCommand.CreateCluster(nextOp.getAsLong(), create.record()));
            return null;
        }
        return join(((ClusterPolicy.Decision.Join) decision).record(), false, out);
    }

    private Outcome onClusterCreated(StoreResult.Written created, List<LeaseCommand> out) {
        return switch (created.kind()) {
            case OK -> join(creatingCluster, true, out);
            case CONFLICT -> restart(out); // another node created it first: check that one
            default -> failed(LeaseCommand.Failure.STORE, "creating the cluster's record failed: " + created.detail());
        };
    }

    private Outcome join(ClusterRecord record, boolean created, List<LeaseCommand> out) {
        if (joined == null) {
            joined = record;
            out.add(new LeaseCommand.ClusterJoined(record, created));
        }
        step = LeaseCore.Phase.LISTING;
        out.add(new LeaseCommand.ListWorkers(nextOp.getAsLong(), datacenterId));
        return null;
    }

    // ---- choosing a worker ----

    private Outcome onListed(StoreResult.Listed listed, List<LeaseCommand> out) {
        if (listed.kind() != StoreResult.Kind.OK) {
            return failed(LeaseCommand.Failure.STORE, "listing workers failed: " + listed.detail());
        }
        final long capacity = layout.workerCapacity();
        final BitSet existing = listed.existing();
        final BitSet owned = listed.owned();
        // Start at a holder-dependent point so that nodes starting together do not all try worker 0.
        final long start = Math.floorMod(holder.hashCode(), capacity);
        for (long i = 0; i < capacity && toRead.size() < MAX_READS_PER_ACQUISITION; i++) {
            final int w = (int) ((start + i) % capacity);
            if (existing.get(w) && !owned.get(w)) {
                toRead.add((long) w);
            }
        }
        final int absent = existing.nextClearBit(0);
        absentCandidate = absent < capacity ? absent : -1;
        ownedAtListing = owned.cardinality();
        return readNextCandidate(out);
    }

    private Outcome readNextCandidate(List<LeaseCommand> out) {
        if (!toRead.isEmpty()) {
            step = LeaseCore.Phase.READING;
            out.add(new LeaseCommand.Read(nextOp.getAsLong(), datacenterId, toRead.peek()));
            return null;
        }
        if (absentCandidate >= 0) {
            step = LeaseCore.Phase.CREATING;
            claiming = new Candidate(absentCandidate, 0, WorkerRecord.unclaimed(joined.floorTick()));
            out.add(new LeaseCommand.CreateRecord(nextOp.getAsLong(), joined.clusterId(), datacenterId, absentCandidate,
                    claiming.record));
            return null;
        }
        if (fallback != null) {
            return claim(fallback, out);
        }
        return failed(LeaseCommand.Failure.POOL_EXHAUSTED, "worker pool exhausted: datacenter " + datacenterId
                + " has " + ownedAtListing + " of " + layout.workerCapacity() + " workers held");
    }

    private Outcome onCandidateRead(StoreResult.Read read, List<LeaseCommand> out) {
        final long worker = toRead.remove();
        if (read.kind() == StoreResult.Kind.OK && read.record() != null) {
            final Candidate candidate = new Candidate(worker, read.version(), read.record());
            if (candidate.record.ceilingTick() < layout.tickAt(clock.wallMillis())) {
                toRead.clear();
                return claim(candidate, out);
            }
            if (fallback == null || candidate.record.ceilingTick() < fallback.record.ceilingTick()) {
                fallback = candidate;
            }
        }
        return readNextCandidate(out);
    }

    private Outcome onRecordCreated(StoreResult.Written created, List<LeaseCommand> out) {
        if (created.kind() == StoreResult.Kind.OK) {
            return claim(claiming, out);
        }
        // Another node created it first (CONFLICT), or it may exist unowned (UNKNOWN): look again.
        return conflicted("creating the record of worker " + claiming.workerId + ": " + created.detail(), out);
    }

    // ---- the claim ----

    private Outcome claim(Candidate candidate, List<LeaseCommand> out) {
        step = LeaseCore.Phase.CLAIMING;
        claiming = candidate;
        // The ceiling stays (raised to the cluster's floor if below it): it is this holder's floor.
        claimed = new WorkerRecord(candidate.record.holderEpoch() + 1, holder,
                Math.max(candidate.record.ceilingTick(), joined.floorTick()), random.nextLong());
        sentWall = clock.wallMillis();
        sentNanos = clock.monotonicNanos();
        lastClaimOp = nextOp.getAsLong();
        claimOps.put(lastClaimOp, candidate.workerId);
        while (claimOps.size() > MAX_CLAIMS_REMEMBERED) {
            claimOps.pollFirstEntry();
        }
        out.add(new LeaseCommand.Claim(lastClaimOp, joined.clusterId(), datacenterId, candidate.workerId, candidate.version,
                claimed));
        return null;
    }

    private Outcome onClaimed(StoreResult.Written written, List<LeaseCommand> out) {
        claimOps.remove(lastClaimOp);
        return switch (written.kind()) {
            case OK -> won(written.version(), written.mtimeMillis());
            case UNKNOWN -> {
                step = LeaseCore.Phase.RESOLVING_CLAIM;
                resolveClaim(out);
                yield null;
            }
            case CONFLICT -> conflicted("claim of worker " + claiming.workerId + ": " + written.detail(), out);
            default -> failed(LeaseCommand.Failure.STORE, "claim of worker " + claiming.workerId + " failed: "
                    + written.detail());
        };
    }

    /**
     * A synced read after a claim in doubt. The claim is this holder's only if the record shows its write
     * token at the version the claim would have produced. Anything else means it was not applied: on
     * ZooKeeper a synced read after a reconnection is definitive (a request still in flight on the old
     * connection is refused with SESSIONMOVED), so nothing is deleted; the acquisition starts again. A claim
     * answered OK after the core stopped waiting for it is freed by {@link #claimAnsweredLate}.
     */
    private Outcome onClaimResolved(StoreResult.Read read, List<LeaseCommand> out) {
        if (read.kind() != StoreResult.Kind.OK) {
            return null; // still unknown: the core asks again at its next wake-up or reconnection
        }
        final WorkerRecord record = read.record();
        if (record != null && read.version() == claiming.version + 1 && record.holder().equals(holder)
                && record.writeToken() == claimed.writeToken()) {
            return won(read.version(), 0);
        }
        return restart(out);
    }

    /**
     * A claim acknowledged after the core stopped waiting for it (the session was judged lost, or a newer
     * acquisition began): its owner may live on in a session that nobody renews, so it is deleted, guarded
     * by the version the acknowledgement returned, which is this claim's own.
     *
     * @return the delete to send, or null when {@code op} was no claim of this acquisition, or is the
     *         claim of the term now held
     */
    LeaseCommand claimAnsweredLate(long op, StoreResult result, long termClaimOp, long deleteOp) {
        final Long worker = claimOps.remove(op);
        if (worker == null || op == termClaimOp || result.kind() != StoreResult.Kind.OK) {
            return null;
        }
        return new LeaseCommand.DeleteOwner(deleteOp, joined.clusterId(), datacenterId, worker,
                ((StoreResult.Written) result).version());
    }

    /** The tag of the latest claim sent. */
    long lastClaimOp() {
        return lastClaimOp;
    }

    private Outcome won(int version, long mtimeMillis) {
        conflictsInARow = 0;
        step = LeaseCore.Phase.IDLE;
        return new Outcome.Won(claiming.workerId, claimed.holderEpoch(), claimed.ceilingTick(), version, mtimeMillis,
                sentWall, sentNanos);
    }

    private Outcome conflicted(String what, List<LeaseCommand> out) {
        // Someone else got there first: look again at once, but not forever.
        if (++conflictsInARow > MAX_CONFLICTS_IN_A_ROW) {
            conflictsInARow = 0;
            return failed(LeaseCommand.Failure.CONFLICTS, (MAX_CONFLICTS_IN_A_ROW + 1)
                    + " attempts in a row conflicted with other holders; last: " + what);
        }
        return restart(out);
    }

    private Outcome restart(List<LeaseCommand> out) {
        begin(out);
        return null;
    }

    private Outcome failed(LeaseCommand.Failure failure, String reason) {
        step = LeaseCore.Phase.IDLE;
        return new Outcome.Failed(failure, reason);
    }
}
