package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LayoutMigrationTest {

    private static final Instant CUTOVER = Instant.parse("2026-12-01T12:00:00Z");
    private static final Duration MARGIN = Duration.ofSeconds(11);

    static Stream<Arguments> moves() {
        final BitLayout snowflake = BitLayout.snowflake();
        return Stream.of(
                Arguments.of(snowflake, BitLayout.preset("snowflake-dc")),
                Arguments.of(snowflake, BitLayout.parse("snowflake", null, "2026-01-01T00:00:00Z")),
                Arguments.of(snowflake, BitLayout.parse("41/0/10/12", 2L, null)),
                Arguments.of(snowflake, BitLayout.parse("41/0/10/12", 2L, "2023-01-01T00:00:00Z")),
                Arguments.of(snowflake, BitLayout.preset("baidu-like")),
                Arguments.of(BitLayout.preset("sonyflake-like"), snowflake));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("moves")
    void everyIdTheNewLayoutMintsFromTheEarliestStartIsAboveEveryOldIdAndNoEarlierTickIs(BitLayout from, BitLayout to) {
        final LayoutMigration plan = LayoutMigration.plan(from, to, CUTOVER, MARGIN);

        assertThat(plan.possible()).isTrue();
        final long lastOldTick = from.tickAt(CUTOVER.plus(MARGIN).toEpochMilli());
        final long largestOld = from.compose(lastOldTick, from.maxDatacenterId(), from.maxWorkerId(), from.maxSequence());
        assertThat(plan.largestOldId()).isEqualTo(largestOld);
        // A new node whose clock is the margin behind still reads the first safe tick or later.
        final long earliestTickRead = to.tickAt(plan.earliestStart().minus(MARGIN).toEpochMilli());
        assertThat(to.compose(earliestTickRead, 0, 0, 0)).as("the smallest ID a new node can mint").isGreaterThan(largestOld);
        assertThat(to.compose(plan.firstNewTick() - 1, 0, 0, 0)).as("the smallest ID of the tick before the first safe one")
                .isLessThanOrEqualTo(largestOld);
        assertThat(plan.earliestStart()).isAfterOrEqualTo(CUTOVER);
    }

    @Test
    void aLayoutWithTheSameTickFieldCanStartTwoMarginsAfterTheCutover() {
        final LayoutMigration plan = LayoutMigration.plan(BitLayout.snowflake(), BitLayout.preset("snowflake-dc"),
                CUTOVER, MARGIN);

        assertThat(plan.firstNewTick()).isEqualTo(BitLayout.snowflake().tickAt(CUTOVER.plus(MARGIN).toEpochMilli()) + 1);
        assertThat(plan.earliestStart()).isEqualTo(CUTOVER.plus(MARGIN).plusMillis(1).plus(MARGIN));
    }

    @Test
    void aLayoutWhoseIdsAllLieBelowTheOldOnesIsNotPossible() {
        // js-safe IDs stay below 2^53; snowflake's passed 2^53 in its first millisecond after 2^9 ms.
        final LayoutMigration plan = LayoutMigration.plan(BitLayout.snowflake(), BitLayout.preset("js-safe"), CUTOVER,
                MARGIN);

        assertThat(plan.possible()).isFalse();
    }

    @Test
    void theCommandPrintsTheEarliestStartOfThePlan() {
        final CommandRun run = CommandRun.of("layouts --migrate-from snowflake --layout snowflake-dc "
                + "--cutover 2026-12-01T12:00:00Z").succeeded();

        assertThat(run.outLines()).containsExactly(
                "from: snowflake, overflows at 2094-09-07T15:47:35.552Z",
                "to:   snowflake-dc, overflows at 2094-09-07T15:47:35.552Z",
                "old IDs: at most " + BitLayout.snowflake().compose(BitLayout.snowflake().tickAt(
                        CUTOVER.plus(MARGIN).toEpochMilli()), 0, 1023, 4095) + ", by the cutover 2026-12-01T12:00:00.000Z "
                        + "plus the 11s margin",
                "new IDs: above them from tick " + (BitLayout.snowflake().tickAt(CUTOVER.plus(MARGIN).toEpochMilli()) + 1)
                        + ", which starts at 2026-12-01T12:00:11.001Z",
                "start the first node of the new layout at or after 2026-12-01T12:00:22.001Z, 22001ms after the cutover; "
                        + "it mints until 2094-09-07T15:47:35.552Z");
    }

    @Test
    void theCommandGivesALongGapInDays() {
        final CommandRun run = CommandRun.of("layouts --migrate-from snowflake --layout 41/0/10/12 --tick-ms 2 "
                + "--cutover 2026-12-01T12:00:00Z").succeeded();

        // Ticks of 2 ms from the same epoch: the new IDs pass the old ones when twice as much time has passed.
        assertThat(run.outLines().get(4)).isEqualTo("start the first node of the new layout at or after "
                + "2028-10-31T00:00:33.002Z, 699.5 days after the cutover; it mints until 2164-05-15T07:35:11.104Z");
    }

    @Test
    void theCommandExitsOneWhenNoStartTimeIsSafe() {
        final CommandRun run = CommandRun.of("layouts --migrate-from snowflake --layout js-safe --cutover 2026-12-01T12:00:00Z");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(3)).startsWith("not possible: the largest ID of js-safe is 9007199254740991, not above ");
    }

    @Test
    void readsTheOldLayoutsTickAndEpochAfterCommas() {
        final CommandRun run = CommandRun.of("layouts --migrate-from 41/0/10/12,2,2023-01-01T00:00:00Z "
                + "--cutover 2026-12-01T12:00:00Z").succeeded();

        assertThat(run.outLines().get(0)).isEqualTo("from: 41/0/10/12 2 ms from 2023-01-01T00:00:00Z, overflows at "
                + "2162-05-15T07:35:11.104Z");
    }
}
