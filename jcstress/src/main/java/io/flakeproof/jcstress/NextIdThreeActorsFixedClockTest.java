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
 * Three threads call {@code nextId()} three times each on a clock that stands still: nine IDs, two per
 * tick, over five ticks, so up to three threads at once borrow a tick or wait, in virtual time, for the
 * clock they all move with their pauses.
 *
 * <p>jcstress runs an actor per CPU and never oversubscribes: on fewer than three CPUs it skips this
 * test (its log says "No scheduling is possible"), without failing the run.
 *
 * <p>r1: all nine IDs distinct. r2: each thread's IDs strictly increasing. No refusal is accepted.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Distinct across threads, increasing within each.")
@Outcome(id = {"false, true", "false, false"}, expect = FORBIDDEN, desc = "Duplicate: two threads got one ID.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "A thread's IDs went down.")
@State
public class NextIdThreeActorsFixedClockTest {

    private final SnowflakeGenerator generator = Fixtures.generator(Fixtures.clock());
    private final Minted first = new Minted();
    private final Minted second = new Minted();
    private final Minted third = new Minted();

    @Actor
    public void first() {
        first.singles(generator, 3);
    }

    @Actor
    public void second() {
        second.singles(generator, 3);
    }

    @Actor
    public void third() {
        third.singles(generator, 3);
    }

    @Arbiter
    public void check(ZZ_Result r) {
        Minted.judge(r, first, second, third);
    }
}
