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
 * Two threads call {@code nextId()} three times each; the second advances the clock by 1 ms before
 * its second and its third call. The first thread's claims race those moves: one may take a fresh
 * tick from the clock while the other continues a borrowed one, and the clock may move between a
 * claim's reading and its CAS. (The mover is also a minter so that the test runs on two CPUs.)
 *
 * <p>r1: all six IDs distinct. r2: each thread's IDs strictly increasing. No refusal is accepted.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Distinct across threads, increasing within each.")
@Outcome(id = {"false, true", "false, false"}, expect = FORBIDDEN, desc = "Duplicate: both threads got one ID.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "A thread's IDs went down.")
@State
public class NextIdClockAdvancingTest {

    private final ManualClock clock = Fixtures.clock();
    private final SnowflakeGenerator generator = Fixtures.generator(clock);
    private final Minted first = new Minted();
    private final Minted second = new Minted();

    @Actor
    public void first() {
        first.singles(generator, 3);
    }

    @Actor
    public void secondAdvancingTheClock() {
        second.single(generator);
        clock.advance(1);
        second.single(generator);
        clock.advance(1);
        second.single(generator);
    }

    @Arbiter
    public void check(ZZ_Result r) {
        Minted.judge(r, first, second);
    }
}
