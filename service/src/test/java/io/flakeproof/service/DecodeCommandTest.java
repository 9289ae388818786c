package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecodeCommandTest {

    @Test
    void decodesWithTheSnowflakeLayoutByDefault() {
        // 123456789012345 = 29434392 << 22 | 221 << 12 | 3961; tick 29434392 is 8:10:34.392 after the epoch.
        assertThat(CommandRun.of("decode", "123456789012345").succeeded().outLines()).containsExactly(
                "id: 123456789012345",
                "timestamp: 2025-01-01T08:10:34.392Z",
                "tick: 29434392",
                "datacenter: 0",
                "worker: 221",
                "sequence: 3961",
                "layout: snowflake");
    }

    @Test
    void decodesACustomLayoutOnItsOwnEpochAndTickLength() {
        final BitLayout layout = BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z");
        final long id = layout.compose(1_234_567, 31, 17, 4095);

        // 1,234,567 ticks of 10 ms = 3 h 25 min 45.670 s.
        assertThat(CommandRun.of("decode", Long.toString(id), "--layout", "41/5/5/12", "--tick-ms", "10",
                "--epoch", "2020-01-01T00:00:00Z").succeeded().outLines()).containsExactly(
                "id: " + id,
                "timestamp: 2020-01-01T03:25:45.670Z",
                "tick: 1234567",
                "datacenter: 31",
                "worker: 17",
                "sequence: 4095",
                "layout: 41/5/5/12 10 ms from 2020-01-01T00:00:00Z");
    }

    /** The layout options of each case, and the layout they name. */
    static Stream<Arguments> layouts() {
        final List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("no options", List.of(), BitLayout.snowflake()));
        BitLayout.presets().forEach((name, layout) -> cases.add(Arguments.of(name, List.of("--layout", name), layout)));
        cases.add(Arguments.of("custom",
                List.of("--layout", "41/5/5/12", "--epoch", "2020-01-01T00:00:00Z", "--tick-ms", "10"),
                BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z")));
        cases.add(Arguments.of("epoch in millis", List.of("--layout", "snowflake-dc", "--epoch", "1288834974657"),
                BitLayout.parse("snowflake-dc", null, "1288834974657")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void roundTripsEveryFieldOfAComposedId(String title, List<String> options, BitLayout layout) {
        final long[][] partsList = {
            {0, 0, 0, 0},
            {layout.maxTick() / 3, layout.maxDatacenterId() / 2, layout.maxWorkerId() / 3, layout.maxSequence() / 5},
            {layout.maxTick(), layout.maxDatacenterId(), layout.maxWorkerId(), layout.maxSequence()},
        };
        for (long[] parts : partsList) {
            final long id = layout.compose(parts[0], parts[1], parts[2], parts[3]);
            final List<String> args = new ArrayList<>(List.of("decode", Long.toString(id)));
            args.addAll(options);

            final List<String> lines = CommandRun.of(args.toArray(String[]::new)).succeeded().outLines();

            assertThat(lines).containsExactly(
                    "id: " + id,
                    lines.get(1),
                    "tick: " + parts[0],
                    "datacenter: " + parts[1],
                    "worker: " + parts[2],
                    "sequence: " + parts[3],
                    "layout: " + layout.describe());
            final String timestamp = lines.get(1).substring("timestamp: ".length());
            assertThat(timestamp).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(Instant.parse(timestamp)).isEqualTo(Instant.ofEpochMilli(layout.startMillisOf(parts[0])));
        }
    }
}
