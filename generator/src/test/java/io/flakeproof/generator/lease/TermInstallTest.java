package io.flakeproof.generator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a new term whose floor is ahead of the clock may go into service. */
class TermInstallTest {

    private static final BitLayout SNOWFLAKE = BitLayout.snowflake();
    private static final BitLayout TEN_MS = new BitLayout(39, 0, 16, 8, 10, BitLayout.DEFAULT_EPOCH.toEpochMilli());

    @Test
    void underFailOrWaitTheClockMustReachTheFirstTickAboveTheFloor() {
        final long floor = 1_000;
        final long floorStart = SNOWFLAKE.startMillisOf(floor);
        for (DriftPolicy policy : new DriftPolicy[] {DriftPolicy.fail(), DriftPolicy.waitUpTo(Duration.ofSeconds(5))}) {
            assertThat(LeaseHolder.millisUntilMintable(SNOWFLAKE, policy, floor, floorStart - 800)).isEqualTo(801);
            assertThat(LeaseHolder.millisUntilMintable(SNOWFLAKE, policy, floor, floorStart)).isEqualTo(1);
            assertThat(LeaseHolder.millisUntilMintable(SNOWFLAKE, policy, floor, floorStart + 1)).isZero();
        }
    }

    @Test
    void underAbsorbTheTermGoesInTheToleranceEarly() {
        final long floor = 1_000;
        final long floorStart = SNOWFLAKE.startMillisOf(floor);
        final DriftPolicy absorb = DriftPolicy.absorb(Duration.ofMillis(5), Duration.ofSeconds(1));
        assertThat(LeaseHolder.millisUntilMintable(SNOWFLAKE, absorb, floor, floorStart - 800)).isEqualTo(796);
        assertThat(LeaseHolder.millisUntilMintable(SNOWFLAKE, absorb, floor, floorStart - 4)).isZero();
    }

    @Test
    void theLeadIsWholeTicks() {
        final long floor = 1_000;
        final long floorStart = TEN_MS.startMillisOf(floor);
        // 25 ms of tolerance is two 10 ms ticks of lead: mintable from the start of tick floor - 1.
        final DriftPolicy absorb = DriftPolicy.absorb(Duration.ofMillis(25), Duration.ofSeconds(1));
        assertThat(LeaseHolder.millisUntilMintable(TEN_MS, absorb, floor, floorStart)).isEqualTo(-10);
        assertThat(LeaseHolder.millisUntilMintable(TEN_MS, absorb, floor, floorStart - 10)).isZero();
    }
}
