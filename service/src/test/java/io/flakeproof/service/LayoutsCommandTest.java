package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Durations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LayoutsCommandTest {

    private static final String CUSTOM = "layouts --layout 41/5/5/12 --tick-ms 10 --epoch 2020-01-01T00:00:00Z";

    @Test
    void snowflakeLastsSixtyNineYearsAndOverflowsOnSeptemberSeventh2094() {
        // 2^41 ms is 69.68 years of 365.2425 days; from 2025-01-01 it ends at 2094-09-07T15:47:35.552Z.
        assertThat((1L << 41) / (365.2425 * 24 * 3600 * 1000)).isCloseTo(69.7, within(0.05));
        assertThat(Instant.parse("2025-01-01T00:00:00Z").plusMillis(1L << 41))
                .isEqualTo(Instant.parse("2094-09-07T15:47:35.552Z"));

        assertThat(cells(CommandRun.of("layouts").succeeded(), "snowflake"))
                .containsExactly("snowflake", "41/0/10/12", "1ms", "69.7", "2094-09-07", "1", "1,024", "4,096,000", "2^63");
    }

    static Set<String> presetNames() {
        return BitLayout.presets().keySet();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presetNames")
    void listsEveryPresetWithWhatItsLayoutSays(String name) {
        final List<String> cells = cells(CommandRun.of("layouts").succeeded(), name);

        assertThatRowDescribes(cells, BitLayout.preset(name));
    }

    @Test
    void addsTheLayoutTheOptionsNameBelowThePresets() {
        final CommandRun run = CommandRun.of(CUSTOM).succeeded();
        final BitLayout custom = BitLayout.parse("41/5/5/12", 10L, "2020-01-01T00:00:00Z");

        assertThat(run.outLines()).hasSize(1 + BitLayout.presets().size() + 1);
        final List<String> cells = cells(run, "41/5/5/12 10 ms from 2020-01-01T00:00:00Z");
        assertThatRowDescribes(cells, custom);
        assertThat(cells).containsSequence("41/5/5/12", "10ms", "696.8");
        // 2^41 ticks of 10 ms from 2020-01-01.
        assertThat(cells.get(4)).isEqualTo(LocalDate.ofInstant(
                Instant.parse("2020-01-01T00:00:00Z").plusMillis((1L << 41) * 10), ZoneOffset.UTC).toString());
    }

    @Test
    void alignsEveryColumn() {
        final List<String> lines = CommandRun.of(CUSTOM).succeeded().outLines();
        final int overflowColumn = lines.get(0).indexOf("overflows");

        assertThat(lines).extracting(String::length).containsOnly(lines.get(0).length());
        assertThat(lines.subList(1, lines.size()))
                .allSatisfy(line -> assertThat(line.substring(overflowColumn)).matches("\\d{4}-\\d\\d-\\d\\d .*"));
    }

    /** The printed figures, read back, are the layout's own. */
    private static void assertThatRowDescribes(List<String> cells, BitLayout layout) {
        assertThat(cells).hasSize(9);
        assertThat(cells.get(1)).isEqualTo(layout.bits());
        assertThat(Durations.parse(cells.get(2))).isEqualTo(layout.tickLength());
        assertThat(Double.parseDouble(cells.get(3))).isCloseTo(layout.lifetimeYears(), within(0.05));
        assertThat(LocalDate.parse(cells.get(4))).isEqualTo(LocalDate.ofInstant(layout.overflowInstant(), ZoneOffset.UTC));
        assertThat(number(cells.get(5))).isEqualTo(layout.datacenterCapacity());
        assertThat(number(cells.get(6))).isEqualTo(layout.workerCapacity());
        assertThat((double) number(cells.get(7))).isCloseTo(layout.idsPerSecondPerWorker(), within(0.5));
        assertThat(cells.get(8)).isEqualTo("2^" + layout.idBits());
    }

    /** The cells of the row named {@code name}: columns are two or more spaces apart. */
    private static List<String> cells(CommandRun run, String name) {
        final List<List<String>> rows = run.outLines().stream()
                .map(line -> List.of(line.split(" {2,}")))
                .filter(cells -> cells.get(0).equals(name))
                .toList();
        assertThat(rows).as("rows named %s in%n%s", name, run.out()).hasSize(1);
        return rows.get(0);
    }

    private static long number(String grouped) {
        return Long.parseLong(grouped.replace(",", ""));
    }
}
