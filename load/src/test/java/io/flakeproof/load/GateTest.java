package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GateTest {

    private final Gate oneMillisecond = new Gate(1);

    @Test
    void passesAP99UnderTheThresholdWithNoFailure() {
        final Gate.Verdict verdict = oneMillisecond.judge(999, 0, 10_000);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.line()).isEqualTo("PASS: p99 0.999 ms < 1 ms and no request failed");
    }

    @Test
    void failsAP99ExactlyAtTheThreshold() {
        final Gate.Verdict verdict = oneMillisecond.judge(1_000, 0, 10_000);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.line()).isEqualTo("FAIL: p99 1.000 ms >= 1 ms and no request failed");
    }

    @Test
    void failsOnASingleFailedRequestHoweverFastTheRest() {
        final Gate.Verdict verdict = oneMillisecond.judge(120, 1, 10_000);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.line()).isEqualTo("FAIL: p99 0.120 ms < 1 ms; 1 of 10000 requests failed");
    }

    @Test
    void namesBothReasonsWhenSlowAndFailing() {
        final Gate.Verdict verdict = new Gate(0.5).judge(4_100, 3, 2_000);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.line()).isEqualTo("FAIL: p99 4.100 ms >= 0.5 ms; 3 of 2000 requests failed");
    }

    /** The node's p99 minus the floor's in each pair of turns of the CI run that failed after 8 inconclusive runs, in us. */
    private static final List<Long> CI_PAIRS = List.of(-19_662L, -49_258L, 1_337L, -6_560L, -1_816L, 4_620L);

    @Test
    void overTheFloorPassesWhenMoreThanHalfThePairsAreUnderTheGateOverTheFloor() {
        final Gate.Verdict verdict = oneMillisecond.judgeOverFloor(CI_PAIRS, 0, 60_000, 0, 1);

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.overFloor()).isTrue();
        assertThat(verdict.line()).isEqualTo("PASS over the floor: the node's p99 less than 1 ms over the floor's in 4 of 6 "
                + "pairs of turns (median -1.816 ms, from -49.258 to +4.620 ms) and no request to the node failed (the only "
                + "run, inconclusive: the floor took half the gate or more)");
    }

    @Test
    void overTheFloorFailsTheSameRunWithANodeTenMillisecondsSlower() {
        // A node whose p99 is 10 ms higher in every turn: merged over all turns, its p99 (about 16.2 ms
        // instead of 6.227) would still be within 1 ms of the floor's 16.767 ms, which the floor's worst
        // turns (23.7 and 53.1 ms) set. Pair by pair, it is over in 4 of 6.
        final List<Long> slower = CI_PAIRS.stream().map(d -> d + 10_000).toList();

        final Gate.Verdict verdict = oneMillisecond.judgeOverFloor(slower, 0, 60_000, 0, 1);

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.line()).startsWith("FAIL over the floor: the node's p99 less than 1 ms over the floor's in 2 of 6 "
                + "pairs of turns, not more than half (median +8.184 ms, from -39.258 to +14.620 ms)");
    }

    @Test
    void overTheFloorNeedsMoreThanHalfThePairsAndLessThanTheGateInEach() {
        assertThat(oneMillisecond.judgeOverFloor(List.of(0L, 0L, 5_000L, 5_000L), 0, 100, 0, 2).passed())
                .as("exactly half").isFalse();
        assertThat(oneMillisecond.judgeOverFloor(List.of(0L, 0L, 0L, 5_000L), 0, 100, 0, 2).passed()).isTrue();
        assertThat(oneMillisecond.judgeOverFloor(List.of(1_000L), 0, 100, 0, 1).passed()).as("at the gate").isFalse();
        assertThat(oneMillisecond.judgeOverFloor(List.of(999L), 0, 100, 0, 1).passed()).as("just under").isTrue();
        assertThat(new Gate(0.5).judgeOverFloor(List.of(600L, 600L, 100L), 0, 100, 0, 1).line())
                .contains("less than 0.5 ms over the floor's in 1 of 3 pairs of turns, not more than half (median +0.600 ms");
        assertThatThrownBy(() -> oneMillisecond.judgeOverFloor(List.of(), 0, 100, 0, 1))
                .hasMessage("no pair of turns to judge the node over the floor by");
    }

    @Test
    void overTheFloorFailsOnAFailedRequestOfTheNodeOrOfTheFloor() {
        final Gate.Verdict nodeFailed = oneMillisecond.judgeOverFloor(CI_PAIRS, 2, 480_000, 0, 8);
        final Gate.Verdict floorFailed = oneMillisecond.judgeOverFloor(CI_PAIRS, 0, 480_000, 5, 8);

        assertThat(nodeFailed.passed()).isFalse();
        assertThat(nodeFailed.line()).contains("+4.620 ms); 2 of 480000 requests failed (8 runs, each inconclusive");
        assertThat(floorFailed.passed()).isFalse();
        assertThat(floorFailed.line()).contains("and no request to the node failed; the floor failed 5 requests, "
                + "so it is no measure (8 runs");
    }

    @Test
    void theNodesOwnVerdictIsNotOverTheFloor() {
        assertThat(oneMillisecond.judge(999, 0, 10).overFloor()).isFalse();
    }

    @Test
    void refusesAThresholdOutsideItsBounds() {
        assertThatThrownBy(() -> new Gate(0)).hasMessage("gate-p99-ms must be in (0, 60000]: 0");
        assertThatThrownBy(() -> new Gate(60_001)).hasMessage("gate-p99-ms must be in (0, 60000]: 60001");
        assertThatThrownBy(() -> new Gate(Double.NaN)).hasMessage("gate-p99-ms must be in (0, 60000]: NaN");
    }
}
