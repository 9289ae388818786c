package io.flakeproof.jcstress;

import static io.flakeproof.generator.MintRefusedException.Cause.CEILING_REACHED;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.flakeproof.generator.AdjustableLease;
import io.flakeproof.generator.SnowflakeGenerator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZ_Result;

/**
 * Two threads call {@code nextId()} three times each under a lease whose ceiling, T, holds two of
 * their six IDs; after its first call the second raises it to T+1 with {@code raiseCeilingTick}, as an
 * acknowledged renewal does. That still leaves room for four IDs only, so calls are refused
 * ({@code CEILING_REACHED}, the one cause accepted) in every interleaving, and a call of the first
 * thread refused before the raise may be followed by one that mints after it. (The renewer is also a
 * minter so that the test runs on two CPUs.)
 *
 * <p>r1: all IDs distinct. r2: each thread's IDs strictly increasing. r3: every ID's tick at or below
 * T+1, the highest ceiling ever set. r4: whether the first thread minted in T+1, above the ceiling it
 * started under; either value is fine, it only shows whether it saw the raise.
 */
@JCStressTest
@Outcome(id = "true, true, true, true", expect = ACCEPTABLE,
        desc = "The first thread minted under the raised ceiling; distinct, increasing, at most T+1.")
@Outcome(id = "true, true, true, false", expect = ACCEPTABLE,
        desc = "The first thread minted in T only; distinct, increasing, at most T+1.")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "Duplicate ID.")
@Outcome(id = "true, false, .*", expect = FORBIDDEN, desc = "A thread's IDs went down.")
@Outcome(id = "true, true, false, .*", expect = FORBIDDEN, desc = "An ID above every ceiling ever set.")
@State
public class CeilingRaisedWhileMintingTest {

    private static final long HIGHEST_CEILING = Fixtures.START_TICK + 1;

    private final AdjustableLease lease = new AdjustableLease(0, Fixtures.WORKER, -1, Fixtures.START_TICK);
    private final SnowflakeGenerator generator = Fixtures.generator(lease, Fixtures.clock());
    private final Minted first = new Minted(CEILING_REACHED);
    private final Minted second = new Minted(CEILING_REACHED);

    @Actor
    public void first() {
        first.singles(generator, 3);
    }

    @Actor
    public void secondRaisingTheCeiling() {
        second.single(generator);
        lease.raiseCeilingTick(HIGHEST_CEILING);
        second.singles(generator, 2);
    }

    @Arbiter
    public void check(ZZZZ_Result r) {
        r.r1 = Minted.distinct(first, second);
        r.r2 = Minted.increasing(first, second);
        r.r3 = Minted.highestTick(first, second) <= HIGHEST_CEILING;
        r.r4 = Minted.highestTick(first) > Fixtures.START_TICK;
    }
}
