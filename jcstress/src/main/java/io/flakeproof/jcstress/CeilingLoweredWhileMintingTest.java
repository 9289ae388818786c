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
import org.openjdk.jcstress.infra.results.ZZZZZ_Result;

/**
 * Two threads call {@code nextId()} three times each under a lease whose ceiling, T+1, holds four of
 * their six IDs; after its first call the second lowers it to T with {@code setCeilingTick}: a
 * revocation racing the first thread's mints. A claim reads the ceiling once, before its CAS, so an
 * ID above the new ceiling may still be handed out by a claim that read the old one; none may lie
 * above the old one, which every call would pass without a ceiling. (The revoker is also a minter so
 * that the test runs on two CPUs.)
 *
 * <p>r1: all IDs distinct. r2: each thread's IDs strictly increasing. r3: every ID's tick at or below
 * T+1, the highest ceiling ever set. r4: a thread refused at the ceiling is refused for good (the
 * ceiling only falls, the state and the clock only rise: once the lowered ceiling is seen, no stale
 * higher one is). r5: whether the first thread was refused ({@code CEILING_REACHED}, the one cause
 * accepted); either value is fine, it only shows whether the race was hit. (The second thread's own
 * calls after the lowering always find a refusal: T has room for two IDs only.)
 */
@JCStressTest
@Outcome(id = "true, true, true, true, true", expect = ACCEPTABLE,
        desc = "The first thread saw the revocation; every ID distinct, increasing, at most T+1.")
@Outcome(id = "true, true, true, true, false", expect = ACCEPTABLE,
        desc = "The first thread minted all three before the revocation; distinct, increasing, at most T+1.")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "Duplicate ID.")
@Outcome(id = "true, false, .*", expect = FORBIDDEN, desc = "A thread's IDs went down.")
@Outcome(id = "true, true, false, .*", expect = FORBIDDEN, desc = "An ID above every ceiling ever set.")
@Outcome(id = "true, true, true, false, .*", expect = FORBIDDEN,
        desc = "A thread minted after a ceiling refusal: it read a stale, higher ceiling.")
@State
public class CeilingLoweredWhileMintingTest {

    private static final long HIGHEST_CEILING = Fixtures.START_TICK + 1;

    private final AdjustableLease lease = new AdjustableLease(0, Fixtures.WORKER, -1, HIGHEST_CEILING);
    private final SnowflakeGenerator generator = Fixtures.generator(lease, Fixtures.clock());
    private final Minted first = new Minted(CEILING_REACHED);
    private final Minted second = new Minted(CEILING_REACHED);

    @Actor
    public void first() {
        first.singles(generator, 3);
    }

    @Actor
    public void secondLoweringTheCeiling() {
        second.single(generator);
        lease.setCeilingTick(Fixtures.START_TICK);
        second.singles(generator, 2);
    }

    @Arbiter
    public void check(ZZZZZ_Result r) {
        r.r1 = Minted.distinct(first, second);
        r.r2 = Minted.increasing(first, second);
        r.r3 = Minted.highestTick(first, second) <= HIGHEST_CEILING;
        r.r4 = first.refusalsFinal() && second.refusalsFinal();
        r.r5 = first.refused();
    }
}
