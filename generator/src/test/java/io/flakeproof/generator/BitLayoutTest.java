package io.flakeproof.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitLayoutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name,          T,  D,  W,  S, tick ms, lifetime years, workers,  IDs/s per worker
        "snowflake,      41,  0, 10, 12,    1,  69.7,          1024,     4096000",
        "snowflake-dc,   41,  5,  5, 12,    1,  69.7,          32,       4096000",
        "sonyflake-like, 39,  0, 16,  8,   10,  174.2,         65536,    25600",
        "instagram-like, 41,  0, 13,  9,    1,  69.7,          8192,     512000",
        "baidu-like,     28,  0, 22, 13, 1000,  8.5,           4194304,  8192",
    })
    void presetsHaveTheDocumentedShapeAndCapacity(String name, int t, int d, int w, int s, long tickMs,
            double years, long workers, double idsPerSecond) {
        final BitLayout layout = BitLayout.preset(name);
        assertThat(layout).isEqualTo(new BitLayout(t, d, w, s, tickMs, Instant.parse("2025-01-01T00:00:00Z").toEpochMilli()));
        assertThat(layout.lifetimeYears()).isCloseTo(years, within(0.05));
        assertThat(layout.workerCapacity()).isEqualTo(workers);
        assertThat(layout.idsPerSecondPerWorker()).isEqualTo(idsPerSecond);
        assertThat(layout.describe()).isEqualTo(name);
    }

    @Test
    void snowflakeOverflowsAtTheEndOfItsLifetime() {
        final BitLayout layout = BitLayout.snowflake();
        assertThat(layout.overflowInstant()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z").plusMillis(1L << 41));
        assertThat(layout.maxTick()).isEqualTo((1L << 41) - 1);
        assertThat(layout.tickShift()).isEqualTo(22);
        assertThat(layout.datacenterShift()).as("empty datacenter field sits above the worker").isEqualTo(22);
        assertThat(layout.workerShift()).isEqualTo(12);
    }

    @Test
    void composesTheDocumentedDefaultLayout() {
        final BitLayout layout = BitLayout.snowflake();
        assertThat(layout.compose(1, 0, 1, 1)).isEqualTo((1L << 22) | (1L << 12) | 1);
        assertThat(layout.compose(layout.maxTick(), 0, 1023, 4095)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theJavaScriptSafePresetMintsBelow2To53ForItsWholeLifetime() {
        final BitLayout layout = BitLayout.preset("js-safe");
        final long largest = layout.compose(layout.maxTick(), layout.maxDatacenterId(), layout.maxWorkerId(),
                layout.maxSequence());
        assertThat(largest).isEqualTo((1L << 53) - 1);
        assertThat((long) (double) largest).as("a double holds it exactly").isEqualTo(largest);
        assertThat(layout.idBits()).isEqualTo(53);
        assertThat(layout.lifetimeYears()).isCloseTo(69.7, org.assertj.core.api.Assertions.within(0.05));
        assertThat(layout.workerCapacity()).isEqualTo(16);
        assertThat(layout.idsPerSecondPerWorker()).isEqualTo(256_000);
    }

    @Test
    void rejectsBitsThatDoNotSumTo63() {
        assertThatThrownBy(() -> new BitLayout(41, 0, 10, 11, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tick, datacenter, worker and sequence bits must sum to 63 (or 53 for IDs below 2^53): 41+0+10+11 = 62");
    }

    @Test
    void rejectsFieldsOutsideTheirBounds() {
        assertThatThrownBy(() -> new BitLayout(0, 0, 51, 12, 1, 0)).hasMessage("tickBits must be in [1, 63]: 0");
        assertThatThrownBy(() -> new BitLayout(41, -1, 11, 12, 1, 0)).hasMessage("datacenterBits must be in [0, 63]: -1");
        assertThatThrownBy(() -> new BitLayout(41, 0, 10, 12, 0, 0)).hasMessage("tickMillis must be at least 1: 0");
        assertThatThrownBy(() -> new BitLayout(62, 0, 0, 1, 3, 0))
                .hasMessage("the tick field outlives a long of milliseconds: 2^62 ticks of 3 ms from epoch 0");
    }

    @Test
    void rejectsPartsOutsideTheirFieldWhenComposing() {
        final BitLayout layout = BitLayout.snowflake();
        assertThatThrownBy(() -> layout.compose(0, 0, 1024, 0)).hasMessage("workerId must be in [0, 1023]: 1024");
        assertThatThrownBy(() -> layout.compose(0, 1, 0, 0)).hasMessage("datacenterId must be in [0, 0]: 1");
        assertThatThrownBy(() -> layout.compose(0, 0, 0, 4096)).hasMessage("sequence must be in [0, 4095]: 4096");
        assertThatThrownBy(() -> layout.compose(-1, 0, 0, 0)).hasMessage("tick must be in [0, 2199023255551]: -1");
        assertThatThrownBy(() -> layout.decode(-5)).hasMessage("id must be in [0, 9223372036854775807]: -5");
    }

    @Test
    void parsesPresetsBitsTickLengthAndEpoch() {
        assertThat(BitLayout.parse("snowflake", null, null)).isEqualTo(BitLayout.snowflake());
        final BitLayout custom = BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z");
        assertThat(custom).isEqualTo(new BitLayout(41, 5, 5, 12, 10, Instant.parse("2020-01-01T00:00:00Z").toEpochMilli()));
        assertThat(BitLayout.parse(" 39/0/16/8 ", null, "1577836800000").epochMillis()).isEqualTo(1577836800000L);
        assertThat(custom.describe()).isEqualTo("41/5/5/12 10 ms from 2020-01-01T00:00:00Z");
    }

    @Test
    void rejectsUnparseableLayoutsNamingTheValue() {
        assertThatThrownBy(() -> BitLayout.parse("snowflak", null, null))
                .hasMessage("unknown layout 'snowflak': expected one of snowflake, snowflake-dc, sonyflake-like, "
                        + "instagram-like, baidu-like, js-safe or T/D/W/S bits such as 41/0/10/12");
        assertThatThrownBy(() -> BitLayout.parse("41/0/10", null, null))
                .hasMessage("layout bits must be T/D/W/S (tick/datacenter/worker/sequence), such as 41/0/10/12: '41/0/10'");
        assertThatThrownBy(() -> BitLayout.parse("41/0/x/12", null, null))
                .hasMessage("layout bits must be whole numbers, T/D/W/S such as 41/0/10/12: '41/0/x/12'");
        assertThatThrownBy(() -> BitLayout.parse("snowflake", null, "yesterday"))
                .hasMessage("epoch must be milliseconds since 1970 or ISO-8601 like 2025-01-01T00:00:00Z: 'yesterday'");
        assertThatThrownBy(() -> BitLayout.parse("snowflake", 0L, null)).hasMessage("tickMillis must be at least 1: 0");
    }

    @Test
    void ticksCountFromTheEpochInWholeTicks() {
        final BitLayout tenMs = BitLayout.parse("41/0/10/12", 10L, "1000");
        assertThat(tenMs.tickAt(1000)).isZero();
        assertThat(tenMs.tickAt(1009)).isZero();
        assertThat(tenMs.tickAt(1010)).isEqualTo(1);
        assertThat(tenMs.tickAt(999)).isEqualTo(-1);
        assertThat(tenMs.startMillisOf(3)).isEqualTo(1030);
    }
}
