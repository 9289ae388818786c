package io.flakeproof.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.flakeproof.generator.SnowflakeGenerator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * One thread takes two batches, {@code nextIds(2)} and {@code nextIds(3)}, while another calls
 * {@code nextId()} three times. With two IDs per tick a batch that starts mid-tick claims the rest of
 * the tick in one CAS and loops for the next, so a single may land between a batch's claims.
 *
 * <p>r1: the batches' and the singles' IDs disjoint (and no repeat inside a batch). r2: each thread's
 * IDs strictly increasing, within a batch and from one batch to the next. No refusal is accepted.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Batches disjoint from singles, both increasing.")
@Outcome(id = {"false, true", "false, false"}, expect = FORBIDDEN, desc = "An ID in a batch and among the singles.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "A thread's IDs went down, within or across batches.")
@State
public class BatchDisjointFromSinglesTest {

    private final SnowflakeGenerator generator = Fixtures.generator(Fixtures.clock());
    private final Minted batches = new Minted();
    private final Minted singles = new Minted();

    @Actor
    public void batches() {
        batches.batch(generator, 2);
        batches.batch(generator, 3);
    }

    @Actor
    public void singles() {
        singles.singles(generator, 3);
    }

    @Arbiter
    public void check(ZZ_Result r) {
        Minted.judge(r, batches, singles);
    }
}
