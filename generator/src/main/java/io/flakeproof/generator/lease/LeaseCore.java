package io.flakeproof.generator.lease;

import io.flakeproof.generator.AdjustableLease;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The fenced-ceiling lease protocol as a pure state machine: no threads, no sleeps, no I/O and no
 * ZooKeeper types. Events come in ({@link #start}, {@link #onWake}, {@link #onResult}, session
 * changes, {@link #release}); {@link LeaseCommand}s go out. {@link LeaseHolder} drives it and owns the
 * generators; a shell runs the store operations on a {@link LeaseStore}, feeds their results back,
 * and wakes the holder at its next wake-up. The Curator shell and the simulator drive this same
 * code, so the simulator tests the code that ships. Not thread-safe: one thread calls it.
 *
 * <h2>Invariant</h2>
 * For each worker, successive holders mint in disjoint tick intervals {@code (floor_i, ceiling_i]}
 * with {@code floor_{i+1} >= ceiling_i}. Why it holds:
 * <ol>
 *   <li>A holder's generator mints only up to {@link AdjustableLease#ceilingTick()}, which this core
 *       raises only to a ceiling the store acknowledged in this holder's record: a write answered
 *       {@code OK}, or an {@code UNKNOWN} write that a later read shows applied, recognised by its
 *       write token (unique to that write) at the expected version. The holder identity carries a
 *       random nonce, so two processes configured alike never take each other's writes for their own.</li>
 *   <li>Every write of the record by a holder sets {@code ceiling >= acked} ({@code target >= acked}
 *       is asserted): the recorded ceiling never falls below what the holder may mint. Only a release
 *       lowers it, after the generator was sealed, to the last tick it minted, never below the floor.</li>
 *   <li>A claim is a versioned write based on a read of the record: it is ordered after every write the
 *       store acknowledged to the previous holder, so its floor (the ceiling it read) is at least every
 *       ceiling the previous holder was ever told; and it moves the version, so every later write of the
 *       previous holder fails with {@code CONFLICT} and raises nothing.</li>
 *   <li>A registry that lost its records would reset every ceiling: every acquisition first checks
 *       the cluster's record against the id this node joined ({@link ClusterPolicy}).</li>
 * </ol>
 * Clocks appear only in choosing <em>how far</em> to raise a ceiling; no clock reading is ever
 * compared with another machine's for safety. A wrong clock costs availability: a clock behind the
 * floor waits; a clock off the store's beyond {@code offsetBound} suspends minting, and no renewal
 * raises the ceiling past what a fresh, in-bound offset reading of this term vouches for
 * ({@link ClockOffset}), so a forward jump cannot burn a worker's tick space.
 *
 * <h2>Phases</h2>
 * {@code IDLE -> acquiring (CHECKING_CLUSTER ... CLAIMING, see Acquisition) -> HELD -> RELEASING ->
 * CLOSED}; a lost term goes back to acquiring for a new one (a new holder epoch, maybe another worker),
 * and a failed acquisition back to {@code IDLE} until its retry.
 */
public final class LeaseCore {

    /** Where the core is; see the class comment and {@link Acquisition}. */
    public enum Phase {
        IDLE, CHECKING_CLUSTER, CREATING_CLUSTER, LISTING, READING, CREATING, CLAIMING, RESOLVING_CLAIM,
        HELD, RELEASING, CLOSED
    }

    /** The longest holder name: the identity adds ':' and a 16-digit nonce, within the record's 200. */
    public static final int MAX_HOLDER_NAME = 183;

    private static final Pattern HOLDER_NAME = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_HOLDER_NAME + "}");

    private final BitLayout layout;
    private final long datacenterId;
    private final String holder;
    private final Clock clock;
    private final RandomGenerator random;
    private final long windowMillis;
    private final long windowTicks;
    private final long renewEveryNanos;
    private final long retryNanos;
    private final ClockOffset offset;
    private final Acquisition acquisition;

    private Phase phase = Phase.IDLE;
    private long nextOp = 1;
    /** The one store operation whose result the core waits for; results of any other op are stale. */
    private long awaitedOp;
    private long retryAtNanos = Long.MAX_VALUE;
    /** The tag of the claim that won the current term: its answer, should it come late, is no stray. */
    private long termClaimOp;
    /** The cluster the current term was claimed in: every write of the term is fenced by it. */
    private String termCluster;

    // ---- the current term ----
    private LeaseTerm term;
    private int version;
    private long ackedCeiling;
    /** The write of the record in flight or in doubt, or null. */
    private PendingWrite pending;
    /** Whether {@link #pending}'s outcome was unknown and a read is to settle it. */
    private boolean resolving;
    private long nextRenewNanos = Long.MAX_VALUE;
    private boolean suspended;
    private long releaseCeiling;
    private boolean releaseLowered;

    // ---- observations ----
    private long acquisitions;
    private long renewalsOk;
    private long renewalsFailed;
    private long renewalsUnknown;
    private String lastProblem = "";

    /**
     * A write of the record: what it sets, the token that recognises it, when it was sent, and whether
     * its target was held below {@code now + window} by the clock-offset rules (see {@link ClockOffset}).
     */
    private record PendingWrite(WorkerRecord record, long sentWall, long sentNanos, boolean limited, boolean release) {
        long target() {
            return record.ceilingTick();
        }
    }

    /**
     * @param layout        the fleet's layout (worker pool size, tick length)
     * @param datacenterId  the datacenter whose pool this node draws from
     * @param holderName    the configured name of this node (host, pod); the identity on the records adds
     *                      a nonce from {@code random}, so it is unique per process start whatever is configured
     * @param clock         local time, for choosing ceilings and scheduling renewals
     * @param random        the nonce, write tokens and cluster ids: {@code SecureRandom} in production,
     *                      the seeded generator in the simulator
     * @param window        how far ahead of the local clock a renewal raises the ceiling: the longest
     *                      a node cut off from the store keeps minting
     * @param offsetBound   the largest clock offset to the store tolerated before minting is suspended
     * @param retryDelay    how long to wait before retrying a failed acquisition
     * @param cluster       which cluster this node may join or create
     */
    public LeaseCore(BitLayout layout, long datacenterId, String holderName, Clock clock, RandomGenerator random,
            Duration window, Duration offsetBound, Duration retryDelay, ClusterPolicy cluster) {
        this.layout = Objects.requireNonNull(layout, "layout");
        layout.requireDatacenter(datacenterId);
        this.datacenterId = datacenterId;
        if (holderName == null || !HOLDER_NAME.matcher(holderName).matches()) {
            throw new IllegalArgumentException("holder name must be 1 to " + MAX_HOLDER_NAME
                    + " of [A-Za-z0-9._:@-]: '" + holderName + "'");
        }
        this.random = Objects.requireNonNull(random, "random");
        this.holder = holderName + ":" + HexFormat.of().toHexDigits(random.nextLong());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowMillis = window.toMillis();
        if (windowMillis < 3 * layout.tickMillis() || windowMillis < 30) {
            throw new IllegalArgumentException("lease window must be at least 30 ms and 3 ticks ("
                    + 3 * layout.tickMillis() + " ms): " + windowMillis + " ms");
        }
        this.windowTicks = (windowMillis + layout.tickMillis() - 1) / layout.tickMillis();
        this.renewEveryNanos = window.toNanos() / 3;
        final long offsetBoundMillis = offsetBound.toMillis();
        if (offsetBoundMillis < 1) {
            throw new IllegalArgumentException("clock offset bound must be at least 1 ms: " + offsetBoundMillis + " ms");
        }
        this.offset = new ClockOffset(layout, offsetBoundMillis, windowTicks);
        this.retryNanos = retryDelay.toNanos();
        // A re-created cluster's floor: past anything a holder of the old registry could still mint, from
        // a clock within the bound of the registry's when an old holder's was off the other way, plus a
        // second for the round trips.
        this.acquisition = new Acquisition(layout, datacenterId, holder, clock, random,
                Objects.requireNonNull(cluster, "cluster"), windowMillis + 2 * offsetBoundMillis + 1000, this::await);
    }

    // ---- events in ----

    /** Begins acquiring a worker. */
    public List<LeaseCommand> start() {
        if (phase != Phase.IDLE || nextOp != 1) {
            throw new IllegalStateException("start needs a new core: " + phase);
        }
        final List<LeaseCommand> out = new ArrayList<>();
        beginAcquisition(out);
        return out;
    }

    /** Time passed: renew, retry or resolve when due. Call at {@link #nextWakeNanos()}, or any time. */
    public List<LeaseCommand> onWake() {
        final List<LeaseCommand> out = new ArrayList<>();
        if (clock.monotonicNanos() < nextWakeNanos()) {
            return out;
        }
        switch (phase) {
            case HELD, RELEASING -> {
                if (resolving) {
                    resolvePending(out);
                } else {
                    renew(out);
                }
            }
            case RESOLVING_CLAIM -> {
                retryAtNanos = Long.MAX_VALUE;
                acquisition.resolveClaim(out);
            }
            case IDLE -> {
                retryAtNanos = Long.MAX_VALUE;
                beginAcquisition(out);
            }
            default -> { }
        }
        return out;
    }

    /**
     * The monotonic time the core next wants {@link #onWake()}; {@code Long.MAX_VALUE} for none. The one
     * place that says when the core is due: a renewal (or the resolution of one in doubt) while held or
     * releasing, a retried read of a claim in doubt, a retried acquisition.
     */
    public long nextWakeNanos() {
        if (awaitedOp != 0 || suspended && phase != Phase.IDLE) {
            return Long.MAX_VALUE;
        }
        return switch (phase) {
            case HELD -> nextRenewNanos;
            case RELEASING -> resolving ? nextRenewNanos : Long.MAX_VALUE;
            case RESOLVING_CLAIM, IDLE -> retryAtNanos;
            default -> Long.MAX_VALUE;
        };
    }

    /** The connection to the store is down; its session may still be alive. Renewals wait. */
    public List<LeaseCommand> onSuspended() {
        suspended = true;
        return List.of();
    }

    /** The connection is back with the same session. Whatever is in doubt is resolved now. */
    public List<LeaseCommand> onReconnected() {
        suspended = false;
        final List<LeaseCommand> out = new ArrayList<>();
        if (awaitedOp != 0) {
            return out;
        }
        if ((phase == Phase.HELD || phase == Phase.RELEASING) && resolving) {
            resolvePending(out);
        } else if (phase == Phase.RESOLVING_CLAIM) {
            retryAtNanos = Long.MAX_VALUE;
            acquisition.resolveClaim(out);
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
        switch (phase) {
            case HELD -> {
                // If the owner lives on in a session Curator opened before reporting the loss, free it,
                // guarded by this term's version (a no-op when it went with the session).
                out.add(new LeaseCommand.DeleteOwner(nextOp++, termCluster, datacenterId, term.workerId(), version));
                loseTerm("session expired", out);
            }
            case RELEASING -> finishRelease(false, out);
            case IDLE, CLOSED -> { }
            default -> beginAcquisition(out);
        }
        return out;
    }

    /**
     * Graceful stop. Call after sealing the term's generator, with the last tick it minted in: the
     * record's ceiling is lowered to it (never below the floor) so that the worker is reusable at once,
     * and the owner is deleted. Ends with {@link LeaseCommand.Released}, then {@link Phase#CLOSED}.
     * Outside a held term it closes at once: an owner left by an acquisition goes with the session.
     */
    public List<LeaseCommand> release(long lastMintedTick) {
        final List<LeaseCommand> out = new ArrayList<>();
        if (phase != Phase.HELD) {
            phase = Phase.CLOSED;
            awaitedOp = 0;
            return out;
        }
        releaseCeiling = Math.max(term.floorTick(), Math.min(lastMintedTick, ackedCeiling));
        assert releaseCeiling >= term.floorTick() && releaseCeiling <= ackedCeiling
                : "release " + releaseCeiling + " outside [floor " + term.floorTick() + ", acked " + ackedCeiling + "]";
        phase = Phase.RELEASING;
        continueRelease(out);
        return out;
    }

    /** The result of store operation {@code op}. Results of operations the core no longer awaits are ignored. */
    public List<LeaseCommand> onResult(long op, StoreResult result) {
        final List<LeaseCommand> out = new ArrayList<>();
        if (op != awaitedOp) {
            final LeaseCommand free = acquisition.claimAnsweredLate(op, result, termClaimOp, nextOp);
            if (free != null) {
                nextOp++; // sent and forgotten: its answer, like every answer not awaited, is ignored
                out.add(free);
            }
            return out;
        }
        awaitedOp = 0;
        switch (phase) {
            case HELD, RELEASING -> onTermResult(result, out);
            case CLOSED, IDLE -> { }
            default -> onAcquisitionResult(result, out);
        }
        return out;
    }

    // ---- acquisition ----

    private void beginAcquisition(List<LeaseCommand> out) {
        acquisition.begin(out);
        phase = acquisition.step();
    }

    private void onAcquisitionResult(StoreResult result, List<LeaseCommand> out) {
        final Acquisition.Outcome outcome = acquisition.onResult(result, out);
        phase = acquisition.step();
        if (outcome instanceof Acquisition.Outcome.Won won) {
            grant(won, out);
        } else if (outcome instanceof Acquisition.Outcome.Failed failed) {
            lastProblem = failed.reason();
            phase = Phase.IDLE;
            retryAtNanos = clock.monotonicNanos() + retryNanos;
            out.add(new LeaseCommand.AcquireFailed(failed.failure(), failed.reason()));
        } else if (phase == Phase.RESOLVING_CLAIM && awaitedOp == 0) {
            // Still unknown. Abandoning it could leak the worker (held by our owner, never renewed):
            // ask again at the next wake-up or reconnection, until the answer is definite or the
            // session is lost (which frees the owner).
            lastProblem = "could not learn whether a claim succeeded: " + detailOf(result);
            retryAtNanos = clock.monotonicNanos() + retryNanos;
        }
    }

    private void grant(Acquisition.Outcome.Won won, List<LeaseCommand> out) {
        termClaimOp = acquisition.lastClaimOp();
        termCluster = acquisition.joined().clusterId();
        term = new LeaseTerm(datacenterId, won.workerId(), won.holderEpoch(), won.floorTick(),
                new AdjustableLease(datacenterId, won.workerId(), won.floorTick(), won.floorTick()));
        version = won.version();
        ackedCeiling = won.floorTick();
        acquisitions++;
        phase = Phase.HELD;
        pending = null;
        resolving = false;
        offset.newTerm();
        observeOffset(won.sentWall(), won.sentNanos(), won.mtimeMillis());
        out.add(new LeaseCommand.Granted(term));
        renew(out);
    }

    // ---- holding ----

    /**
     * Sends a versioned write raising the ceiling to {@code max(acked, now + window)}, or less: held at
     * {@code acked} while the clock offset is beyond its bound, and capped by {@link ClockOffset#cap}.
     */
    private void renew(List<LeaseCommand> out) {
        final long uncapped = Math.max(ackedCeiling, nowTick() + windowTicks);
        final long target = offset.withinBound() ? offset.cap(uncapped, ackedCeiling, clock.monotonicNanos())
                : ackedCeiling;
        assert target >= ackedCeiling : "renewal target " + target + " below the acknowledged ceiling " + ackedCeiling;
        // A target held back by more than a third of a window is redone as soon as a fresh reading allows.
        final boolean limited = uncapped - target > 0 && (target == ackedCeiling || uncapped - target >= windowTicks / 3);
        send(new WorkerRecord(term.holderEpoch(), holder, target, random.nextLong()), limited, false, out);
    }

    private void send(WorkerRecord record, boolean limited, boolean release, List<LeaseCommand> out) {
        pending = new PendingWrite(record, clock.wallMillis(), clock.monotonicNanos(), limited, release);
        resolving = false;
        out.add(new LeaseCommand.Write(await(), termCluster, datacenterId, term.workerId(), version, record));
    }

    private void onTermResult(StoreResult result, List<LeaseCommand> out) {
        if (result instanceof StoreResult.Read read) {
            onPendingResolved(read, out);
        } else if (phase == Phase.RELEASING && releaseLowered) {
            finishRelease(true, out); // the owner's guarded delete answered, whichever way
        } else {
            onWritten((StoreResult.Written) result, out);
        }
    }

    private void onWritten(StoreResult.Written written, List<LeaseCommand> out) {
        if (pending.release) {
            onLowered(written.kind() == StoreResult.Kind.OK ? written.version() : -1, out);
            return;
        }
        switch (written.kind()) {
            case OK -> acknowledge(written.version(), written.mtimeMillis(), out);
            case CONFLICT -> {
                // The version moved. While this holder's owner exists nobody else can claim the worker, so
                // it may be this holder's own write, applied although it looked lost: read whose it is.
                resolving = true;
                resolvePending(out);
            }
            case UNKNOWN -> {
                renewalsUnknown++;
                resolving = true;
                nextRenewNanos = clock.monotonicNanos();
                if (!suspended) {
                    resolvePending(out);
                }
            }
            default -> {
                renewalsFailed++;
                lastProblem = "renewal failed: " + written.detail();
                pending = null;
                nextRenewNanos = clock.monotonicNanos() + Math.min(retryNanos, renewEveryNanos);
                continueRelease(out);
            }
        }
    }

    private void resolvePending(List<LeaseCommand> out) {
        out.add(new LeaseCommand.Read(await(), datacenterId, term.workerId()));
    }

    /** A read after a write in doubt: it was applied only if the record shows its token at the next version. */
    private void onPendingResolved(StoreResult.Read read, List<LeaseCommand> out) {
        if (read.kind() != StoreResult.Kind.OK) {
            // Still unknown: ask again when the connection is back or at the next wake-up.
            lastProblem = "could not resolve a renewal: " + read.detail();
            nextRenewNanos = clock.monotonicNanos() + Math.min(retryNanos, renewEveryNanos);
            return;
        }
        final WorkerRecord record = read.record();
        final boolean mine = record != null && record.holder().equals(holder)
                && record.holderEpoch() == term.holderEpoch();
        if (mine && read.version() < version) {
            // A read from before this holder's own acknowledged write: stale. Ask again.
            lastProblem = "a read of worker " + term.workerId() + " was behind this holder's own writes";
            nextRenewNanos = clock.monotonicNanos() + Math.min(retryNanos, renewEveryNanos);
            return;
        }
        resolving = false;
        final boolean applied = mine && read.version() == version + 1
                && record.writeToken() == pending.record.writeToken();
        if (applied && pending.release) {
            onLowered(read.version(), out);
        } else if (applied) {
            acknowledge(read.version(), 0, out); // learnt of late: no clock reading (see ClockOffset)
        } else if (mine && read.version() == version) {
            // The write never happened; send it again now (a release's lowering write included).
            pending = null;
            if (!continueRelease(out)) {
                renew(out);
            }
        } else if (mine && !pending.release) {
            adopt(read.version(), record.ceilingTick(), out);
        } else if (pending.release) {
            finishRelease(false, out);
        } else {
            renewalsFailed++;
            loseTerm("worker " + term.workerId() + " was claimed by another holder"
                    + (record == null ? " (its record is gone)" : " (" + record.holder() + ", epoch "
                    + record.holderEpoch() + ")"), out);
        }
    }

    /**
     * The record shows a later write of this holder's own than the one it knows (a write that looked
     * lost, then a re-send that conflicted with it): only this holder writes its identity and epoch, and
     * a synced read shows what ZooKeeper committed, so that write's ceiling is acknowledged.
     */
    private void adopt(int newVersion, long ceiling, List<LeaseCommand> out) {
        assert ceiling >= ackedCeiling : "own later write " + ceiling + " below the acknowledged " + ackedCeiling;
        pending = null;
        version = newVersion;
        ackedCeiling = Math.max(ackedCeiling, ceiling);
        renewalsOk++;
        term.lease().raiseCeilingTick(ackedCeiling);
        nextRenewNanos = clock.monotonicNanos();
        continueRelease(out);
    }

    private void acknowledge(int newVersion, long mtimeMillis, List<LeaseCommand> out) {
        final PendingWrite acked = pending;
        pending = null;
        version = newVersion;
        assert acked.target() >= ackedCeiling : "acknowledged " + acked.target() + " below " + ackedCeiling;
        ackedCeiling = acked.target();
        renewalsOk++;
        // First: an offset out of bound suspends the term before its ceiling is raised.
        final boolean fresh = observeOffset(acked.sentWall, acked.sentNanos, mtimeMillis);
        term.lease().raiseCeilingTick(ackedCeiling);
        // A renewal held back (offset, forward jump, monotonic stall) is redone at once on a fresh reading.
        nextRenewNanos = acked.limited && fresh ? clock.monotonicNanos() : acked.sentNanos + renewEveryNanos;
        continueRelease(out);
    }

    private void loseTerm(String reason, List<LeaseCommand> out) {
        lastProblem = reason;
        pending = null;
        resolving = false;
        if (phase == Phase.RELEASING) {
            finishRelease(false, out);
            return;
        }
        out.add(new LeaseCommand.Lost(term, reason));
        beginAcquisition(out);
    }

    /**
     * Takes a clock reading from a write's acknowledgement; past the bound the term is suspended: it
     * mints nothing until a reading is back within the bound.
     *
     * @return whether it was a fresh reading within the bound
     */
    private boolean observeOffset(long sentWall, long sentNanos, long mtimeMillis) {
        final boolean fresh = offset.observe(sentWall, sentNanos, clock.wallMillis(), mtimeMillis);
        if (mtimeMillis <= 0 || term == null) {
            return fresh;
        }
        if (fresh) {
            term.lease().resume();
        } else {
            final String why = "local clock is " + offset.millis() + " ms off the registry's, beyond the bound of "
                    + offset.boundMillis() + " ms";
            lastProblem = why;
            term.lease().suspend(why);
        }
        return fresh;
    }

    // ---- release ----

    /** If a release waits for no write in flight, lowers the ceiling now. */
    private boolean continueRelease(List<LeaseCommand> out) {
        if (phase == Phase.RELEASING && pending == null && !resolving && !releaseLowered && awaitedOp == 0) {
            send(new WorkerRecord(term.holderEpoch(), holder, releaseCeiling, random.nextLong()), false, true, out);
            return true;
        }
        return false;
    }

    /** The lowering write: applied at {@code newVersion}, or not (-1). Then the owner's guarded delete. */
    private void onLowered(int newVersion, List<LeaseCommand> out) {
        pending = null;
        if (newVersion < 0) {
            // Not lowered: the worker may already be another holder's. Ours goes with the session.
            finishRelease(false, out);
            return;
        }
        version = newVersion;
        releaseLowered = true;
        out.add(new LeaseCommand.DeleteOwner(await(), termCluster, datacenterId, term.workerId(), newVersion));
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

    private static String detailOf(StoreResult result) {
        return result instanceof StoreResult.Read read ? read.detail() : result.toString();
    }

    // ---- observations ----

    public Phase phase() {
        return phase;
    }

    /** This process start's identity on the records: the configured name and a random nonce. */
    public String holder() {
        return holder;
    }

    /** The current term, or null before the first grant. */
    public LeaseTerm term() {
        return term;
    }

    /** The cluster this node joined, or null before its first check passed. */
    public ClusterRecord cluster() {
        return acquisition.joined();
    }

    /** A reading of the lease's state and counters for health and metrics. */
    public LeaseStatus status() {
        final long remaining = term == null || phase != Phase.HELD ? 0
                : Math.max(0, layout.startMillisOf(ackedCeiling + 1) - clock.wallMillis());
        final ClusterRecord cluster = acquisition.joined();
        return new LeaseStatus(phase, term == null ? -1 : term.workerId(), datacenterId,
                term == null ? -1 : term.holderEpoch(), ackedCeiling, remaining, offset.known(), offset.millis(),
                !offset.withinBound(), acquisitions, renewalsOk, renewalsFailed, renewalsUnknown, lastProblem,
                cluster == null ? "" : cluster.clusterId());
    }

    public long windowMillis() {
        return windowMillis;
    }
}
