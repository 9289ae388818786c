package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.AdjustableLease;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import org.junit.jupiter.api.Test;

/** Paced batches are the batches the generator would mint, only with the waits between ticks parked. */
class PacedBatchesTest {

    private static SnowflakeGenerator generator() {
        return NodeChannel.generator(BitLayout.snowflake(), new StaticLease(0, NodeChannel.WORKER),
                new ManualClock(NodeChannel.NOW));
    }

    @Test
    void mintsTheSameIdsAsOneBatchOfTheGenerator() {
        assertThat(PacedBatches.nextIds(generator(), 100_000)).containsExactly(generator().nextIds(100_000));
        assertThat(PacedBatches.nextIds(generator(), 4096)).containsExactly(generator().nextIds(4096));
    }

    @Test
    void mintsTheSameRangesOnePerTick() {
        final SnowflakeGenerator paced = generator();
        final SnowflakeGenerator whole = generator();
        paced.nextIds(100); // the state in the middle of a tick: chunks then meet inside ticks
        whole.nextIds(100);

        assertThat(PacedBatches.nextRanges(paced, 50_000)).isEqualTo(whole.nextRanges(50_000));
    }

    @Test
    void refusesABatchThatMightNotFitUnderTheCeilingBeforeMintingAny() {
        final ManualClock clock = new ManualClock(NodeChannel.NOW);
        final BitLayout layout = BitLayout.snowflake();
        final long tick = layout.tickAt(clock.wallMillis());
        final SnowflakeGenerator ceilinged = NodeChannel.generator(layout,
                new AdjustableLease(0, NodeChannel.WORKER, -1, tick + 20), clock);

        assertThatThrownBy(() -> PacedBatches.nextIds(ceilinged, 100_000)).isInstanceOf(MintRefusedException.class);
        assertThat(ceilinged.idsMinted()).isZero();
    }
}
