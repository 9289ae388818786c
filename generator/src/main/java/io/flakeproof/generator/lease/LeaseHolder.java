package io.flakeproof.generator.lease;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.Lease;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Everything around the {@link LeaseCore} that decides what may be minted, sans-IO: which term's
 * generator is in service, when a new term goes into service, sealing the previous one, the tick a
 * release lowers the ceiling to, and when to wake next. A shell (the Curator one in production, the
 * simulator in tests) sends the store operations it returns, feeds back their results and the
 * session's states, and calls {@link #onWake()} at {@link #nextWakeNanos()}; it decides nothing.
 *
 * <p><b>Putting a term in service.</b> A granted term's generator goes into service only when all of
 * these hold: the holder is not closing; a renewal was acknowledged above the term's floor (before,
 * there is nothing to mint); and the clock can mint above the floor without waiting, that is, it has
 * reached the floor less the lead the drift policy allows ({@link #millisUntilMintable}). The floor is
 * the previous holder's ceiling, up to a window ahead of the clock: the term waits for it here, not in
 * the generator, whose drift policy is for clocks that step back and would refuse a wait that long.
 * Until then a lost term's generator goes on up to its own ceiling. The previous generator is sealed
 * the moment the new one is in service, so at most one generator per worker mints.
 *
 * <p><b>Release.</b> {@link #release()} seals the generator in service first (no ID is minted after it
 * returns); the record's ceiling is lowered to the last tick that generator minted if it belongs to the
 * current term, else to the current term's floor (its term never minted), never below the floor.
 *
 * <p>Driven from one thread. {@link #generator()}, {@link #generators()}, {@link #pendingReason()} and
 * {@link #status()} may be read from any thread.
 */
public final class LeaseHolder {

    private final BitLayout layout;
    private final LeaseCore core;
    private final Clock clock;
    private final DriftPolicy policy;
    private final UnaryOperator<Lease> wrap;

    private volatile SnowflakeGenerator generator;
    /** The term of {@link #generator}, or null. */
    private LeaseTerm generatorTerm;
    /** Every generator put in service, oldest first: added before it can mint, so counts never go back. */
    private final List<SnowflakeGenerator> generators = new CopyOnWriteArrayList<>();
    /** A granted term not in service yet. */
    private LeaseTerm pendingTerm;
    private volatile String pendingReason = "";
    private long installAtNanos = Long.MAX_VALUE;
    private boolean closing;
    private volatile LeaseStatus status;

    /**
     * @param wrap what each term's generator obeys, given the term's lease: the lease itself in production;
     *             the simulator wraps it to pause a caller between the ceiling check and the CAS
     */
    public LeaseHolder(BitLayout layout, LeaseCore core, Clock clock, DriftPolicy policy, UnaryOperator<Lease> wrap) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.core = Objects.requireNonNull(core, "core");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.wrap = Objects.requireNonNull(wrap, "wrap");
        this.status = core.status();
    }

    public LeaseHolder(BitLayout layout, LeaseCore core, Clock clock, DriftPolicy policy) {
        this(layout, core, clock, policy, UnaryOperator.identity());
    }

    // ---- events in: each returns what the shell must do ----

    public List<LeaseCommand> start() {
        return after(core.start());
    }

    public List<LeaseCommand> onWake() {
        return after(core.onWake());
    }

    public List<LeaseCommand> onResult(long op, StoreResult result) {
        return after(core.onResult(op, result));
    }

    public List<LeaseCommand> onSuspended() {
        return after(core.onSuspended());
    }

    public List<LeaseCommand> onReconnected() {
        return after(core.onReconnected());
    }

    public List<LeaseCommand> onSessionLost() {
        return after(core.onSessionLost());
    }

    /** Graceful stop: seals the generator in service, then releases the term (see the class comment). */
    public List<LeaseCommand> release() {
        closing = true;
        pendingTerm = null;
        final SnowflakeGenerator current = generator;
        final long sealedAt = current == null ? -1 : current.seal();
        final LeaseTerm term = core.term();
        final long last = term == null ? -1 : term == generatorTerm ? sealedAt : term.floorTick();
        return after(core.release(last));
    }

    /** The monotonic time of the next {@link #onWake()}: the core's, or the pending term's install time. */
    public long nextWakeNanos() {
        return Math.min(core.nextWakeNanos(), installAtNanos);
    }

    // ---- observations ----

    /** The generator in service, or null before the first term went into service. */
    public SnowflakeGenerator generator() {
        return generator;
    }

    /**
     * Every generator this holder has put in service, oldest first: one per term, all but the current
     * one sealed. For counters that must cover every term, including one replaced between readings.
     */
    public List<SnowflakeGenerator> generators() {
        return Collections.unmodifiableList(generators);
    }

    /** Why a granted term is not minting yet; empty when no term is waiting. */
    public String pendingReason() {
        return pendingReason;
    }

    /** The core's status after the latest event. */
    public LeaseStatus status() {
        return status;
    }

    public LeaseCore core() {
        return core;
    }

    // ---- the install rule ----

    private List<LeaseCommand> after(List<LeaseCommand> commands) {
        for (LeaseCommand command : commands) {
            if (command instanceof LeaseCommand.Granted granted && !closing) {
                pendingTerm = granted.term();
            } else if (command instanceof LeaseCommand.Lost lost && lost.term() == pendingTerm) {
                pendingTerm = null; // lost before it went into service: nothing to install
            }
        }
        final LeaseTerm installed = installWhenMintable();
        status = core.status();
        if (installed == null) {
            return commands;
        }
        final List<LeaseCommand> out = new ArrayList<>(commands);
        out.add(new LeaseCommand.InService(installed));
        return out;
    }

    private LeaseTerm installWhenMintable() {
        installAtNanos = Long.MAX_VALUE;
        final LeaseTerm term = pendingTerm;
        if (term == null || closing) {
            pendingReason = "";
            return null;
        }
        if (term.lease().acknowledgedCeilingTick() <= term.floorTick()) {
            pendingReason = "worker " + term.workerId() + " was claimed with floor tick " + term.floorTick()
                    + " but no renewal raised its ceiling above it yet";
            return null;
        }
        final long behindMillis = millisUntilMintable(layout, policy, term.floorTick(), clock.wallMillis());
        if (behindMillis > 0) {
            pendingReason = "worker " + term.workerId() + " was claimed with floor tick " + term.floorTick()
                    + " (the previous holder's ceiling); it mints once the clock reaches it, in " + behindMillis + " ms";
            installAtNanos = clock.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(behindMillis);
            return null;
        }
        pendingTerm = null;
        pendingReason = "";
        final SnowflakeGenerator next = new SnowflakeGenerator(layout, wrap.apply(term.lease()), clock, policy);
        generators.add(next);
        final SnowflakeGenerator previous = generator;
        generator = next;
        generatorTerm = term;
        if (previous != null) {
            previous.seal();
        }
        return term;
    }

    /**
     * How long until a generator whose state starts at {@code floorTick} can mint its first tick
     * without waiting: until the clock reaches that tick, less the lead the policy allows (ABSORB
     * mints up to its tolerance ahead of the clock). Installing a new term then, rather than when the
     * clock has passed the floor, lets it take over from a lost term's generator, which stops at the
     * same tick, without a gap. Zero or less: now.
     */
    public static long millisUntilMintable(BitLayout layout, DriftPolicy policy, long floorTick, long nowMillis) {
        final long leadTicks = policy.tolerance().toMillis() / layout.tickMillis();
        return layout.startMillisOf(floorTick + 1 - leadTicks) - nowMillis;
    }
}
