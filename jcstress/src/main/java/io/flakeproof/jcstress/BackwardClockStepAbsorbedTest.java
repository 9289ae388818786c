package io.flakeproof.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.SnowflakeGenerator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Two threads call {@code nextId()} three times each under ABSORB (tolerance one tick); the second
 * steps the wall clock back before its second call by 1 ms (within the tolerance: minted from the
 * state's tick) and before its third by 3 ms more (beyond it: the claim waits, in virtual time, for
 * the clock to come back). The first thread's claims may read the clock on either side of a step;
 * the state alone must keep the IDs apart. (The stepper is also a minter so that the test runs on
 * two CPUs.)
 *
 * <p>r1: all six IDs distinct. r2: each thread's IDs strictly increasing. No refusal is accepted:
 * the 1 s virtual wait always outlasts a 4 ms step.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Distinct and increasing across the backward steps.")
@Outcome(id = {"false, true", "false, false"}, expect = FORBIDDEN, desc = "Duplicate: a tick minted again after a step.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "A thread's IDs went down with the clock.")
@State
public class BackwardClockStepAbsorbedTest {

    private final ManualClock clock = Fixtures.clock();
    private final SnowflakeGenerator generator = Fixtures.generator(clock);
    private final Minted first = new Minted();
    private final Minted second = new Minted();

    @Actor
    public void first() {
        first.singles(generator, 3);
    }

    @Actor
    public void secondSteppingTheClockBack() {
        second.single(generator);
        clock.stepWall(-1);
        second.single(generator);
        clock.stepWall(-3);
        second.single(generator);
    }

    @Arbiter
    public void check(ZZ_Result r) {
        Minted.judge(r, first, second);
    }
}
