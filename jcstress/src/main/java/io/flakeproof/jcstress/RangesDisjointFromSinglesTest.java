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
 * One thread takes {@code nextRanges(2)} and {@code nextRanges(3)}, one range per tick touched, while
 * another calls {@code nextId()} three times: a range is {@code [first, first + count)} of consecutive
 * longs, so a single inside it would be a duplicate that no ID comparison of the range's ends shows.
 *
 * <p>r1: every ID inside the ranges disjoint from the singles. r2: each thread's IDs strictly
 * increasing, the ranges expanded in the order returned. No refusal is accepted.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Ranges disjoint from singles, both increasing.")
@Outcome(id = {"false, true", "false, false"}, expect = FORBIDDEN, desc = "A single inside a range, or ranges overlapping.")
@Outcome(id = "true, false", expect = FORBIDDEN, desc = "A thread's IDs went down, within or across ranges.")
@State
public class RangesDisjointFromSinglesTest {

    private final SnowflakeGenerator generator = Fixtures.generator(Fixtures.clock());
    private final Minted ranges = new Minted();
    private final Minted singles = new Minted();

    @Actor
    public void ranges() {
        ranges.ranges(generator, 2);
        ranges.ranges(generator, 3);
    }

    @Actor
    public void singles() {
        singles.singles(generator, 3);
    }

    @Arbiter
    public void check(ZZ_Result r) {
        Minted.judge(r, ranges, singles);
    }
}
