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
    void refusesAThresholdOutsideItsBounds() {
        assertThatThrownBy(() -> new Gate(0)).hasMessage("gate-p99-ms must be in (0, 60000]: 0");
        assertThatThrownBy(() -> new Gate(60_001)).hasMessage("gate-p99-ms must be in (0, 60000]: 60001");
        assertThatThrownBy(() -> new Gate(Double.NaN)).hasMessage("gate-p99-ms must be in (0, 60000]: NaN");
    }
}
