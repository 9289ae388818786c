package io.flakeproof.jcstress;

import static io.flakeproof.generator.MintRefusedException.Cause.LEASE_NOT_HELD;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.flakeproof.generator.SnowflakeGenerator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZZZ_Result;

/**
 * The first thread calls {@code nextId()} three times; the second calls it, then {@code seal()}, as a
 * graceful release does before it lowers the lease's ceiling to the tick seal() returns, then calls it
 * again, which must be refused. The seal races the first thread's claims. An ID above the sealed tick
 * would lie in the next holder's interval: a collision waiting to happen. (The sealer is also a minter
 * so that the test runs on two CPUs.)
 *
 * <p>r1: all IDs distinct. r2: each thread's IDs strictly increasing. r3: no ID's tick above the
 * sealed tick. r4: the sealed tick is the highest tick minted (the floor, -1, if none was), as
 * seal() promises. r5: the sealer's own call after the seal refused ({@code LEASE_NOT_HELD}, the one
 * cause accepted), and the first thread, once refused as sealed, never handed an ID again.
 */
@JCStressTest
@Outcome(id = "true, true, true, true, true", expect = ACCEPTABLE,
        desc = "Distinct, increasing, nothing above the sealed tick, which is the last tick minted.")
@Outcome(id = "false, .*", expect = FORBIDDEN, desc = "Duplicate ID.")
@Outcome(id = "true, false, .*", expect = FORBIDDEN, desc = "A thread's IDs went down.")
@Outcome(id = "true, true, false, .*", expect = FORBIDDEN,
        desc = "An ID above the sealed tick: a release would hand its tick to the next holder.")
@Outcome(id = "true, true, true, false, .*", expect = FORBIDDEN,
        desc = "seal() returned a tick above every minted one, not the last tick minted.")
@Outcome(id = "true, true, true, true, false", expect = FORBIDDEN,
        desc = "A call minted after the seal: the sealer's own, or the first thread's after a sealed refusal.")
@State
public class SealRacingNextIdTest {

    private final SnowflakeGenerator generator = Fixtures.generator(Fixtures.clock());
    private final Minted first = new Minted(LEASE_NOT_HELD);
    private final Minted second = new Minted(LEASE_NOT_HELD);
    private long sealedTick;

    @Actor
    public void first() {
        first.singles(generator, 3);
    }

    @Actor
    public void secondSealing() {
        second.single(generator);
        sealedTick = generator.seal();
        second.single(generator);
    }

    @Arbiter
    public void check(ZZZZZ_Result r) {
        final long highestMinted = Minted.highestTick(first, second);
        r.r1 = Minted.distinct(first, second);
        r.r2 = Minted.increasing(first, second);
        r.r3 = highestMinted <= sealedTick;
        r.r4 = highestMinted == sealedTick;
        r.r5 = second.refused() && first.refusalsFinal();
    }
}
