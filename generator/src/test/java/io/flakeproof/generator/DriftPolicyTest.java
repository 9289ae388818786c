package io.flakeproof.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DriftPolicyTest {

    @ParameterizedTest
    @CsvSource({
        "fail,            fail",
        "wait,            wait:1s",
        "WAIT:250ms,      wait:250ms",
        "absorb,          absorb:5ms:1s",
        "absorb:20ms,     absorb:20ms:1s",
        "absorb:2s:1m,    absorb:2s:1m",
    })
    void parsesAndPrintsPolicies(String text, String printed) {
        assertThat(DriftPolicy.parse(text)).hasToString(printed);
        assertThat(DriftPolicy.parse(printed)).isEqualTo(DriftPolicy.parse(text));
    }

    @Test
    void defaultIsAbsorbFiveMillisOneSecond() {
        assertThat(DriftPolicy.DEFAULT).isEqualTo(DriftPolicy.absorb(Duration.ofMillis(5), Duration.ofSeconds(1)));
    }

    @Test
    void rejectsBadPoliciesNamingTheValue() {
        assertThatThrownBy(() -> DriftPolicy.parse("sleep")).hasMessage("unknown drift policy 'sleep': expected fail, "
                + "wait[:MAXWAIT] or absorb[:TOLERANCE[:MAXWAIT]], such as absorb:5ms:1s");
        assertThatThrownBy(() -> DriftPolicy.parse("wait:5 seconds"))
                .hasMessage("duration must be a whole number with a unit ms, s, m or h, such as 250ms or 5s: '5 seconds'");
        assertThatThrownBy(() -> DriftPolicy.parse("fail:1s")).hasMessageStartingWith("fail takes no durations: 'fail:1s'");
        assertThatThrownBy(() -> DriftPolicy.absorb(Duration.ofMillis(-1), Duration.ZERO))
                .hasMessage("tolerance must be in [0 ms, 3600000 ms]: -1 ms");
        assertThatThrownBy(() -> DriftPolicy.waitUpTo(Duration.ofHours(2)))
                .hasMessage("maxWait must be in [0 ms, 3600000 ms]: 7200000 ms");
    }
}
