package io.flakeproof.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DecodedId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The client decodes as the generator does, for every preset. */
class FleetLayoutTest {

    @Test
    void decodesEveryPresetLikeTheGenerator() {
        final SplittableRandom random = new SplittableRandom(12);
        BitLayout.presets().forEach((name, layout) -> {
            final FleetLayout fleet = FleetLayout.of(layout.bits(), layout.tickMillis(), layout.epoch());
            for (int i = 0; i < 10_000; i++) {
                final long id = layout.compose(random.nextLong(layout.maxTick() + 1),
                        random.nextLong(layout.maxDatacenterId() + 1), random.nextLong(layout.maxWorkerId() + 1),
                        random.nextLong(layout.maxSequence() + 1));
                final DecodedId expected = layout.decode(id);
                assertThat(fleet.decode(id)).as("%s %d", name, id).isEqualTo(new FleetLayout.Decoded(id,
                        expected.timestamp(), expected.tick(), expected.datacenterId(), expected.workerId(),
                        expected.sequence()));
            }
        });
    }

    @Test
    void rejectsANegativeIdAndABadLayout() {
        final FleetLayout layout = FleetLayout.of("41/0/10/12", 1, BitLayout.DEFAULT_EPOCH);
        assertThatThrownBy(() -> layout.decode(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id must be in [0, 9223372036854775807]: -1");
        assertThatThrownBy(() -> FleetLayout.of("41/x/10/12", 1, BitLayout.DEFAULT_EPOCH))
                .hasMessage("bits must be T/D/W/S such as 41/0/10/12: '41/x/10/12'");
        assertThatThrownBy(() -> FleetLayout.of("41/0/10/12", 0, BitLayout.DEFAULT_EPOCH))
                .hasMessage("tickMillis must be in [1, 9223372036854775807]: 0");
    }
}
