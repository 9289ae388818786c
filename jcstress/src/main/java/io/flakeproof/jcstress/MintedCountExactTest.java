package io.flakeproof.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The minted count is kept per tick, not per ID: the call whose CAS leaves a tick adds that tick's
 * IDs. One thread calls {@code nextId()} three times while the other takes {@code nextIds(3)} and
 * then seals: six IDs across ticks T, T+1 (borrowed) and T+2 (a virtual wait), and a seal whose last
 * tick's IDs are added after its CAS.
 *
 * <p>r1: the six IDs distinct. r2: once both threads are done, {@code idsMinted()} is exactly the
 * number of IDs handed out (singles refused by the seal count nothing). {@code LEASE_NOT_HELD} is
 * accepted for the singles.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Distinct IDs, and the count is exact at rest.")
@Outcome(id = {"false, true", "false, false"}, expect = FORBIDDEN, desc = "Duplicate: both threads got one ID.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "The minted count differs from the IDs handed out.")
@State
public class MintedCountExactTest {

    private final SnowflakeGenerator generator = Fixtures.generator(Fixtures.clock());
    private final Minted singles = new Minted(MintRefusedException.Cause.LEASE_NOT_HELD);
    private final Minted batch = new Minted();

    @Actor
    public void singles() {
        singles.singles(generator, 3);
    }

    @Actor
    public void batchThenSeal() {
        batch.batch(generator, 3);
        generator.seal();
    }

    @Arbiter
    public void check(ZZ_Result r) {
        r.r1 = Minted.distinct(singles, batch);
        r.r2 = generator.stats().idsMinted() == singles.count() + batch.count();
    }
}
