package io.flakeproof.generator.lease;

import io.flakeproof.generator.AdjustableLease;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The fenced-ceiling lease protocol as a pure state machine: no threads, no sleeps, no I/O and no
 * ZooKeeper types. Events come in ({@link #start}, {@link #onWake}, {@link #onResult}, session
 * changes, {@link #release}); {@link LeaseCommand}s go out. A shell runs the store operations on a
 * {@link LeaseStore}, feeds their results back, and calls {@link #onWake} at {@link #nextWakeNanos()}.
 * The Curator shell and the simulator drive this same class, so the simulator tests the code that ships.
 * Not thread-safe: a shell calls it from one thread.
 *
 * <h2>Invariant</h2>
 * For each worker, successive holders mint in disjoint tick intervals {@code (floor_i, ceiling_i]}
 * with {@code floor_{i+1} >= ceiling_i}. Why it holds:
 * <ol>
 *   <li>A holder's generator mints only up to {@link AdjustableLease#ceilingTick()}, which this core
 *       raises only to a ceiling the store acknowledged in this holder's record (a write answered
 *       {@code OK}, or an {@code UNKNOWN} write that a later read shows applied at the expected version).</li>
 *   <li>Every write of the record by a holder sets {@code ceiling = max(acked, ...)}: the recorded
 *       ceiling never falls below what the holder may mint. Only a release lowers it, after the
 *       generator was sealed, to the last tick it minted.</li>
 *   <li>A claim is a versioned write based on a read of the record: it is ordered after every write the
 *       store acknowledged to the previous holder, so its floor (the ceiling it read) is at least every
 *       ceiling the previous holder was ever told; and it moves the version, so every later write of the
 *       previous holder fails with {@code CONFLICT} and raises nothing.</li>
 * </ol>
 * Clocks appear only in choosing <em>how far</em> to raise a ceiling; no clock reading is ever
 * compared with another machine's for safety. A wrong clock costs availability: a clock behind the
 * floor waits; a clock ahead of the store's beyond {@code offsetBound} suspends minting.
 *
 * <h2>Phases</h2>
 * {@code IDLE -> LISTING -> (READING) -> CLAIMING -> HELD -> RELEASING -> CLOSED}; a lost term goes
 * back to {@code LISTING} for a new one (a new holder epoch, maybe another worker).
 */
public final class LeaseCore {

    /** Where the core is; see the class comment. */
    public enum Phase { IDLE, LISTING, READING, CLAIMING, RESOLVING_CLAIM, HELD, RELEASING, CLOSED }

    /** Unowned records read per acquisition while looking for one whose ceiling is in the past. */
    static final int MAX_READS_PER_ACQUISITION = 8;

    /** Claims that may conflict in a row before the acquisition backs off for the retry delay. */
    static final int MAX_CONFLICTS_IN_A_ROW = 8;

    private final BitLayout layout;
    private final long datacenterId;
    private final String holder;
    private final Clock clock;
    private final long windowMillis;
    private final long windowTicks;
    private final long renewEveryNanos;
    private final long offsetBoundMillis;
    private final long retryNanos;

    private Phase phase = Phase.IDLE;
    private long nextOp = 1;
    /** The one store operation whose result the core waits for; results of any other op are stale. */
    private long awaitedOp;

    // ---- acquisition ----
    private final Deque<Long> toRead = new ArrayDeque<>();
    private long absentCandidate = -1;
    private long ownedAtListing;
    private Candidate fallback;
    private Candidate claiming;
    private long retryAtNanos = Long.MAX_VALUE;

    // ---- the current term ----
    private LeaseTerm term;
    private int version;
    private long ackedCeiling;
    private boolean renewalInFlight;
    private boolean resolvingRenewal;
    private long pendingCeiling;
    /** Whether the renewal in flight kept the ceiling where it was because the clock offset was out of bound. */
    private boolean heldBack;
    /** The wall tick at which the in-flight renewal was sent. */
    private long sentTick;
    /**
     * The monotonic time and wall tick of the last acknowledged renewal's send whose clock offset
     * was within bound (Long.MIN_VALUE: none yet in this term).
     */
    private long trustedSendNanos = Long.MIN_VALUE;
    private long trustedSendTick;
    private int conflictsInARow;
    private long sentWallMillis;
    private long sentMonotonicNanos;
    private long nextRenewNanos = Long.MAX_VALUE;
    private boolean suspended;
    private boolean releaseRequested;
    private long releaseCeiling;
    private ReleaseStep releaseStep = ReleaseStep.AWAIT_RENEWAL;
    private boolean releaseLowered;

    /** A release first lets an in-flight renewal settle, then lowers the ceiling, then deletes the owner. */
    private enum ReleaseStep { AWAIT_RENEWAL, LOWERING, DELETING }

    // ---- observations ----
    private boolean offsetKnown;
    private long offsetMillis;
    private long acquisitions;
    private long renewalsOk;
    private long renewalsFailed;
    private long renewalsUnknown;
    private String lastProblem = "";

    /** A record that may be claimed: its worker, version and contents (null for a new record). */
    private record Candidate(long workerId, int version, WorkerRecord record) {
        long floor() {
            return record == null ? 0 : record.ceilingTick();
        }
    }

    /**
     * @param layout        the fleet's layout (worker pool size, tick length)
     * @param datacenterId  the datacenter whose pool this node draws from
     * @param holder        this process start's identity, unique across starts
     * @param clock         local time, for choosing ceilings and scheduling renewals
     * @param window        how far ahead of the local clock a renewal raises the ceiling: the longest
     *                      a node cut off from the store keeps minting
     * @param offsetBound   the largest clock offset to the store tolerated before minting is suspended
     * @param retryDelay    how long to wait before retrying a failed acquisition
     */
    public LeaseCore(BitLayout layout, long datacenterId, String holder, Clock clock,
            Duration window, Duration offsetBound, Duration retryDelay) {
        this.layout = Objects.requireNonNull(layout, "layout");
        layout.requireDatacenter(datacenterId);
        this.datacenterId = datacenterId;
        this.holder = new WorkerRecord(0, holder, 0).holder();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowMillis = window.toMillis();
        if (windowMillis < 3 * layout.tickMillis() || windowMillis < 30) {
            throw new IllegalArgumentException("lease window must be at least 30 ms and 3 ticks ("
                    + 3 * layout.tickMillis() + " ms): " + windowMillis + " ms");
        }
        this.windowTicks = (windowMillis + layout.tickMillis() - 1) / layout.tickMillis();
        this.renewEveryNanos = window.toNanos() / 3;
        this.offsetBoundMillis = offsetBound.toMillis();
        if (offsetBoundMillis < 1) {
            throw new IllegalArgumentException("clock offset bound must be at least 1 ms: " + offsetBoundMillis + " ms");
        }
        this.retryNanos = retryDelay.toNanos();
    }

    // ---- events in ----

    /** Begins acquiring a worker. */
    public List<LeaseCommand> start() {
        requirePhase(Phase.IDLE, "start");
        final List<LeaseCommand> out = new ArrayList<>();
        beginAcquisition(out);
        return out;
    }

    /** Time passed: renew or retry when due. Call at {@link #nextWakeNanos()}, or any time. */
    public List<LeaseCommand> onWake() {
        final List<LeaseCommand> out = new ArrayList<>();
        final long now = clock.monotonicNanos();
        if ((phase == Phase.HELD || phase == Phase.RELEASING && resolvingRenewal) && awaitedOp == 0 && !suspended
                && now >= nextRenewNanos) {
            if (resolvingRenewal) {
                resolveRenewal(out);
            } else {
                renew(out);
            }
        } else if (phase == Phase.RESOLVING_CLAIM && awaitedOp == 0 && !suspended && now >= retryAtNanos) {
            retryAtNanos = Long.MAX_VALUE;
            out.add(new LeaseCommand.Read(await(), datacenterId, claiming.workerId));
        } else if (phase == Phase.IDLE && retryAtNanos != Long.MAX_VALUE && now >= retryAtNanos) {
            retryAtNanos = Long.MAX_VALUE;
            beginAcquisition(out);
        }
        return out;
    }

    /** The monotonic time the core next wants {@link #onWake()}; {@code Long.MAX_VALUE} for none. */
    public long nextWakeNanos() {
        if ((phase == Phase.HELD || phase == Phase.RELEASING && resolvingRenewal) && awaitedOp == 0 && !suspended) {
            return nextRenewNanos;
        }
        if (phase == Phase.RESOLVING_CLAIM && awaitedOp == 0 && !suspended) {
            return retryAtNanos;
        }
        return phase == Phase.IDLE ? retryAtNanos : Long.MAX_VALUE;
    }

    /** The connection to the store is down; its session may still be alive. Renewals wait. */
    public List<LeaseCommand> onSuspended() {
        suspended = true;
        return List.of();
    }

    /** The connection is back with the same session. An unknown renewal is resolved now. */
    public List<LeaseCommand> onReconnected() {
        suspended = false;
        final List<LeaseCommand> out = new ArrayList<>();
        if ((phase == Phase.HELD || phase == Phase.RELEASING) && resolvingRenewal && awaitedOp == 0) {
            resolveRenewal(out);
        } else if (phase == Phase.RESOLVING_CLAIM && awaitedOp == 0) {
            out.add(new LeaseCommand.Read(await(), datacenterId, claiming.workerId));
        } else {
            out.addAll(onWake());
        }
        return out;
    }

    /**
     * The session expired: the owner is gone and another node may claim the worker. The term is lost
     * (its generator keeps minting up to the acknowledged ceiling), and a new one is acquired.
     */
    public List<LeaseCommand> onSessionLost() {
        suspended = false;
        final List<LeaseCommand> out = new ArrayList<>();
        if (phase == Phase.HELD) {
            loseTerm("session expired", out);
        } else if (phase == Phase.RELEASING) {
            finishRelease(false, out);
        } else if (phase != Phase.IDLE && phase != Phase.CLOSED) {
            beginAcquisition(out);
        }
        return out;
    }

    /**
     * Graceful stop. Call after sealing the term's generator, with the last tick it minted in: the
     * record's ceiling is lowered to it (never below the floor) so that the worker is reusable at once,
     * and the owner is deleted. Ends with {@link LeaseCommand.Released}, then {@link Phase#CLOSED}.
     */
    public List<LeaseCommand> release(long lastMintedTick) {
        final List<LeaseCommand> out = new ArrayList<>();
        if (phase != Phase.HELD) {
            phase = Phase.CLOSED;
            awaitedOp = 0;
            return out;
        }
        releaseRequested = true;
        releaseCeiling = Math.max(term.floorTick(), Math.min(lastMintedTick, ackedCeiling));
        phase = Phase.RELEASING;
        releaseStep = ReleaseStep.AWAIT_RENEWAL;
        continueRelease(out);
        return out;
    }

    /** The result of store operation {@code op}. Results of operations the core no longer awaits are ignored. */
    public List<LeaseCommand> onResult(long op, StoreResult result) {
        final List<LeaseCommand> out = new ArrayList<>();
        if (op != awaitedOp) {
            return out;
        }
        awaitedOp = 0;
        switch (phase) {
            case LISTING -> onListed((StoreResult.Listed) result, out);
            case READING -> onCandidateRead((StoreResult.Read) result, out);
            case CLAIMING -> onClaimed((StoreResult.Written) result, out);
            case RESOLVING_CLAIM -> onClaimResolved((StoreResult.Read) result, out);
            case HELD -> onHeldResult(result, out);
            case RELEASING -> {
                if (releaseStep == ReleaseStep.AWAIT_RENEWAL) {
                    onHeldResult(result, out);
                } else {
                    onReleaseStep(result, out);
                }
            }
            default -> { }
        }
        return out;
    }

    // ---- acquisition ----

    private void beginAcquisition(List<LeaseCommand> out) {
        phase = Phase.LISTING;
        toRead.clear();
        absentCandidate = -1;
        fallback = null;
        claiming = null;
        out.add(new LeaseCommand.ListWorkers(await(), datacenterId));
    }

    private void onListed(StoreResult.Listed listed, List<LeaseCommand> out) {
        if (listed.kind() != StoreResult.Kind.OK) {
            acquisitionFailed("listing workers failed: " + listed.detail(), out);
            return;
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
        readNextCandidate(out);
    }

    private void readNextCandidate(List<LeaseCommand> out) {
        if (!toRead.isEmpty()) {
            phase = Phase.READING;
            out.add(new LeaseCommand.Read(await(), datacenterId, toRead.peek()));
            return;
        }
        // Preference: a record whose ceiling is past, then a new record, then the lowest future ceiling.
        if (absentCandidate >= 0) {
            claim(new Candidate(absentCandidate, LeaseStore.NEW_RECORD, null), out);
        } else if (fallback != null) {
            claim(fallback, out);
        } else {
            acquisitionFailed("worker pool exhausted: datacenter " + datacenterId + " has " + ownedAtListing
                    + " of " + layout.workerCapacity() + " workers held", out);
        }
    }

    private void onCandidateRead(StoreResult.Read read, List<LeaseCommand> out) {
        final long worker = toRead.remove();
        if (read.kind() == StoreResult.Kind.OK && read.record() != null) {
            final Candidate candidate = new Candidate(worker, read.version(), read.record());
            if (candidate.floor() < nowTick()) {
                toRead.clear();
                claim(candidate, out);
                return;
            }
            if (fallback == null || candidate.floor() < fallback.floor()) {
                fallback = candidate;
            }
        }
        readNextCandidate(out);
    }

    private void claim(Candidate candidate, List<LeaseCommand> out) {
        phase = Phase.CLAIMING;
        claiming = candidate;
        final long epoch = candidate.record == null ? 1 : candidate.record.holderEpoch() + 1;
        // The ceiling is unchanged: it becomes this holder's floor. The first renewal raises it, once
        // the claim's modification time has given a first estimate of the clock offset.
        out.add(new LeaseCommand.Claim(await(), datacenterId, candidate.workerId, candidate.version,
                new WorkerRecord(epoch, holder, candidate.floor())));
        sentWallMillis = clock.wallMillis();
        sentMonotonicNanos = clock.monotonicNanos();
    }

    private void onClaimed(StoreResult.Written written, List<LeaseCommand> out) {
        switch (written.kind()) {
            case OK -> grant(written.version(), written.mtimeMillis(), out);
            case UNKNOWN -> {
                phase = Phase.RESOLVING_CLAIM;
                out.add(new LeaseCommand.Read(await(), datacenterId, claiming.workerId));
            }
            case CONFLICT -> {
                // Someone else got there first: look again at once, but not forever (a missing pool
                // folder also answers CONFLICT).
                if (++conflictsInARow > MAX_CONFLICTS_IN_A_ROW) {
                    conflictsInARow = 0;
                    acquisitionFailed("claims of " + (MAX_CONFLICTS_IN_A_ROW + 1) + " workers in a row conflicted; "
                            + "last: " + written.detail(), out);
                } else {
                    beginAcquisition(out);
                }
            }
            default -> acquisitionFailed("claim of worker " + claiming.workerId + " failed: " + written.detail(), out);
        }
    }

    private void onClaimResolved(StoreResult.Read read, List<LeaseCommand> out) {
        final long epoch = claiming.record == null ? 1 : claiming.record.holderEpoch() + 1;
        final int expectedVersion = claiming.version + 1; // NEW_RECORD (-1) + 1 = 0, a new node's version
        if (read.kind() == StoreResult.Kind.OK && read.record() != null && read.version() == expectedVersion
                && read.record().holderEpoch() == epoch && read.record().holder().equals(holder)) {
            // Resolved by a read: its mtime is the claim's, against a send time from before the wait,
            // so it says nothing about the clock offset.
            grant(read.version(), 0, out);
        } else if (read.kind() == StoreResult.Kind.OK) {
            beginAcquisition(out);
        } else {
            // Still unknown. Abandoning it could leak the worker (held by our owner, never renewed):
            // ask again at the next wake-up or reconnection, until the answer is definite or the
            // session is lost (which frees the owner).
            lastProblem = "could not learn whether the claim of worker " + claiming.workerId + " succeeded: "
                    + read.detail();
            retryAtNanos = clock.monotonicNanos() + retryNanos;
        }
    }

    private void grant(int newVersion, long mtimeMillis, List<LeaseCommand> out) {
        final long floor = claiming.floor();
        final long epoch = claiming.record == null ? 1 : claiming.record.holderEpoch() + 1;
        term = new LeaseTerm(datacenterId, claiming.workerId, epoch, floor,
                new AdjustableLease(datacenterId, claiming.workerId, floor, floor));
        version = newVersion;
        ackedCeiling = floor;
        acquisitions++;
        phase = Phase.HELD;
        renewalInFlight = false;
        resolvingRenewal = false;
        trustedSendNanos = Long.MIN_VALUE;
        conflictsInARow = 0;
        claiming = null;
        observeOffset(mtimeMillis);
        out.add(new LeaseCommand.Granted(term));
        renew(out);
    }

    private void acquisitionFailed(String reason, List<LeaseCommand> out) {
        lastProblem = reason;
        phase = Phase.IDLE;
        retryAtNanos = clock.monotonicNanos() + retryNanos;
        out.add(new LeaseCommand.AcquireFailed(reason));
    }

    // ---- holding ----

    private void renew(List<LeaseCommand> out) {
        heldBack = !offsetWithinBound();
        long target = heldBack ? ackedCeiling : Math.max(ackedCeiling, nowTick() + windowTicks);
        if (trustedSendNanos != Long.MIN_VALUE) {
            // A forward jump of the wall clock must not carry the ceiling with it before the offset
            // check can see it: from the last wall reading the registry vouched for, the target
            // advances at most as fast as monotonic time (plus a tick).
            final long elapsedTicks = (clock.monotonicNanos() - trustedSendNanos) / (layout.tickMillis() * 1_000_000);
            target = Math.min(target, Math.max(ackedCeiling, trustedSendTick + elapsedTicks + 1 + windowTicks));
        }
        sentTick = nowTick();
        pendingCeiling = target;
        renewalInFlight = true;
        sentWallMillis = clock.wallMillis();
        sentMonotonicNanos = clock.monotonicNanos();
        out.add(new LeaseCommand.Write(await(), datacenterId, term.workerId(), version,
                new WorkerRecord(term.holderEpoch(), holder, target)));
    }

    private void onHeldResult(StoreResult result, List<LeaseCommand> out) {
        if (resolvingRenewal) {
            onRenewalResolved((StoreResult.Read) result, out);
        } else {
            onRenewed((StoreResult.Written) result, out);
        }
    }

    private void onRenewed(StoreResult.Written written, List<LeaseCommand> out) {
        renewalInFlight = false;
        switch (written.kind()) {
            case OK -> acknowledge(written.version(), written.mtimeMillis(), out);
            case CONFLICT -> {
                renewalsFailed++;
                loseTerm("worker " + term.workerId() + " was claimed by another holder (" + written.detail() + ")", out);
            }
            case UNKNOWN -> {
                renewalsUnknown++;
                resolvingRenewal = true;
                if (!suspended) {
                    resolveRenewal(out);
                }
            }
            default -> {
                renewalsFailed++;
                lastProblem = "renewal failed: " + written.detail();
                nextRenewNanos = clock.monotonicNanos() + Math.min(retryNanos, renewEveryNanos);
                continueRelease(out);
            }
        }
    }

    private void resolveRenewal(List<LeaseCommand> out) {
        out.add(new LeaseCommand.Read(await(), datacenterId, term.workerId()));
    }

    private void onRenewalResolved(StoreResult.Read read, List<LeaseCommand> out) {
        if (read.kind() != StoreResult.Kind.OK) {
            // Still unknown: ask again when the connection is back or at the next wake-up.
            lastProblem = "could not resolve a renewal: " + read.detail();
            nextRenewNanos = clock.monotonicNanos() + Math.min(retryNanos, renewEveryNanos);
            return;
        }
        resolvingRenewal = false;
        final WorkerRecord record = read.record();
        final boolean mine = record != null && record.holder().equals(holder)
                && record.holderEpoch() == term.holderEpoch();
        if (mine && read.version() == version + 1 && record.ceilingTick() == pendingCeiling) {
            acknowledge(read.version(), 0, out); // resolved late: no offset reading (see onClaimResolved)
        } else if (mine && read.version() == version) {
            // The write never happened; try again now.
            nextRenewNanos = clock.monotonicNanos();
            if (!continueRelease(out)) {
                renew(out);
            }
        } else {
            loseTerm("worker " + term.workerId() + " record moved on while a renewal was in doubt", out);
        }
    }

    private void acknowledge(int newVersion, long mtimeMillis, List<LeaseCommand> out) {
        version = newVersion;
        ackedCeiling = pendingCeiling;
        renewalsOk++;
        observeOffset(mtimeMillis); // first: an offset out of bound suspends the term before it is raised
        if (offsetKnown && offsetWithinBound()) {
            trustedSendNanos = sentMonotonicNanos;
            trustedSendTick = sentTick;
        }
        term.lease().raiseCeilingTick(ackedCeiling);
        // A renewal held back for the clock offset is redone at once when the offset is back in bound.
        nextRenewNanos = heldBack && offsetWithinBound() ? clock.monotonicNanos() : sentMonotonicNanos + renewEveryNanos;
        continueRelease(out);
    }

    private void loseTerm(String reason, List<LeaseCommand> out) {
        lastProblem = reason;
        final LeaseTerm lost = term;
        renewalInFlight = false;
        resolvingRenewal = false;
        if (releaseRequested) {
            finishRelease(false, out);
            return;
        }
        out.add(new LeaseCommand.Lost(lost, reason));
        beginAcquisition(out);
    }

    // ---- clock offset ----

    /**
     * Estimates the local clock's offset to the store from a write's modification time (the leader's
     * clock at commit), against the midpoint of the local send and receive times; error at most half
     * the round trip. Past the bound the term is suspended: it mints nothing until an estimate is back
     * within the bound, and renewals stop raising the ceiling.
     */
    private void observeOffset(long mtimeMillis) {
        if (mtimeMillis <= 0) {
            return;
        }
        final long receivedWall = clock.wallMillis();
        offsetMillis = Math.floorDiv(sentWallMillis + receivedWall, 2) - mtimeMillis;
        offsetKnown = true;
        if (term == null) {
            return;
        }
        if (offsetWithinBound()) {
            term.lease().resume();
        } else {
            final String why = "local clock is " + offsetMillis + " ms off the registry's, beyond the bound of "
                    + offsetBoundMillis + " ms";
            lastProblem = why;
            term.lease().suspend(why);
        }
    }

    private boolean offsetWithinBound() {
        return !offsetKnown || Math.abs(offsetMillis) <= offsetBoundMillis;
    }

    // ---- release ----

    /** If a release waits for an in-flight renewal, starts it now. */
    private boolean continueRelease(List<LeaseCommand> out) {
        if (phase == Phase.RELEASING && releaseStep == ReleaseStep.AWAIT_RENEWAL && !renewalInFlight
                && !resolvingRenewal) {
            sendReleaseWrite(out);
            return true;
        }
        return false;
    }

    private void sendReleaseWrite(List<LeaseCommand> out) {
        releaseStep = ReleaseStep.LOWERING;
        out.add(new LeaseCommand.Write(await(), datacenterId, term.workerId(), version,
                new WorkerRecord(term.holderEpoch(), holder, releaseCeiling)));
        renewalInFlight = true;
        resolvingRenewal = false;
    }

    private void onReleaseStep(StoreResult result, List<LeaseCommand> out) {
        if (releaseStep == ReleaseStep.LOWERING) {
            renewalInFlight = false;
            releaseLowered = result.kind() == StoreResult.Kind.OK;
            if (!releaseLowered) {
                // Not lowered: the worker may already be another holder's, whose owner this must not
                // delete. Ours goes with the session when the shell closes it.
                finishRelease(false, out);
                return;
            }
            releaseStep = ReleaseStep.DELETING;
            out.add(new LeaseCommand.DeleteOwner(await(), datacenterId, term.workerId()));
        } else {
            finishRelease(releaseLowered, out);
        }
    }

    private void finishRelease(boolean lowered, List<LeaseCommand> out) {
        phase = Phase.CLOSED;
        awaitedOp = 0;
        out.add(new LeaseCommand.Released(term, lowered ? releaseCeiling : ackedCeiling, lowered));
    }

    // ---- helpers ----

    private long await() {
        awaitedOp = nextOp++;
        return awaitedOp;
    }

    private long nowTick() {
        return layout.tickAt(clock.wallMillis());
    }

    private void requirePhase(Phase expected, String what) {
        if (phase != expected) {
            throw new IllegalStateException(what + " needs phase " + expected + ": " + phase);
        }
    }

    // ---- observations ----

    public Phase phase() {
        return phase;
    }

    /** The current term, or null before the first grant. */
    public LeaseTerm term() {
        return term;
    }

    /** A reading of the lease's state and counters for health and metrics. */
    public LeaseStatus status() {
        final long remaining = term == null || phase != Phase.HELD ? 0
                : Math.max(0, layout.startMillisOf(ackedCeiling + 1) - clock.wallMillis());
        return new LeaseStatus(phase, term == null ? -1 : term.workerId(), datacenterId,
                term == null ? -1 : term.holderEpoch(), ackedCeiling, remaining, offsetKnown, offsetMillis,
                !offsetWithinBound(), acquisitions, renewalsOk, renewalsFailed, renewalsUnknown, lastProblem);
    }

    public long windowMillis() {
        return windowMillis;
    }
}
