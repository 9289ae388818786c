package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void overTheFloorPassesANodeUnderTheFloorOrLessThanTheGateOverIt() {
        final Gate.Verdict under = oneMillisecond.judgeOverFloor(6_227, 16_767, 0, 480_000, 0, 8);
        final Gate.Verdict justUnder = oneMillisecond.judgeOverFloor(1_999, 1_000, 0, 60_000, 0, 1);

        assertThat(under.passed()).isTrue();
        assertThat(under.overFloor()).isTrue();
        assertThat(under.line()).isEqualTo("PASS over the floor: p99 6.227 ms, -10.540 ms over the floor's 16.767 ms in the "
                + "same turns < 1 ms and no request failed (8 runs together, each inconclusive: the floor took half the gate or more)");
        assertThat(justUnder.passed()).isTrue();
        assertThat(justUnder.line()).startsWith("PASS over the floor: p99 1.999 ms, +0.999 ms over the floor's 1.000 ms")
                .endsWith("(the only run, inconclusive: the floor took half the gate or more)");
    }

    @Test
    void overTheFloorFailsANodeTheGateOrMoreOverItEvenUnderItsOwnGate() {
        final Gate.Verdict atTheGate = oneMillisecond.judgeOverFloor(1_600, 600, 0, 60_000, 0, 3);
        final Gate.Verdict slow = new Gate(0.5).judgeOverFloor(900, 300, 0, 60_000, 0, 2);

        assertThat(atTheGate.passed()).isFalse();
        assertThat(atTheGate.line()).startsWith("FAIL over the floor: p99 1.600 ms, +1.000 ms over the floor's 0.600 ms in the "
                + "same turns >= 1 ms and no request failed");
        assertThat(slow.passed()).isFalse();
        assertThat(slow.line()).contains("+0.600 ms over the floor's 0.300 ms in the same turns >= 0.5 ms");
    }

    @Test
    void overTheFloorFailsOnAFailedRequestOfTheNodeOrOfTheFloor() {
        final Gate.Verdict nodeFailed = oneMillisecond.judgeOverFloor(700, 900, 2, 60_000, 0, 8);
        final Gate.Verdict floorFailed = oneMillisecond.judgeOverFloor(700, 900, 0, 60_000, 5, 8);

        assertThat(nodeFailed.passed()).isFalse();
        assertThat(nodeFailed.line()).contains("< 1 ms; 2 of 60000 requests failed (8 runs together");
        assertThat(floorFailed.passed()).isFalse();
        assertThat(floorFailed.line()).contains("and no request failed; the floor failed 5 requests, so it is no measure (8 runs");
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
