package io.flakeproof.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundsTest {

    @Test
    void aValueInsideItsRangeComesBack() {
        assertThat(Bounds.requireIn("count", 1L, 1L, 5L)).isEqualTo(1L);
        assertThat(Bounds.requireIn("count", 5, 1, 5)).isEqualTo(5);
        assertThat(Bounds.requireIn("rate", 2.5, 1.0, 3.0)).isEqualTo(2.5);
        assertThatThrownBy(() -> Bounds.requireIn("rate", Double.NaN, 1.0, 3.0)).hasMessage("rate must be in [1.0, 3.0]: NaN");
    }

    @Test
    void aValueOutsideNamesItselfAndTheBound() {
        assertThatThrownBy(() -> Bounds.requireIn("count", 0, 1, 100_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("count must be in [1, 100000]: 0");
        assertThatThrownBy(() -> Bounds.requireIn("count", Long.MAX_VALUE, 1, 5))
                .hasMessage("count must be in [1, 5]: " + Long.MAX_VALUE);
        assertThatThrownBy(() -> Bounds.requireIn("--window", Duration.ofSeconds(90), Duration.ZERO, Duration.ofMinutes(1),
                d -> d.toSeconds() + "s")).hasMessage("--window must be in [0s, 60s]: 90s");
    }

    @Test
    void anOptionNotGivenPasses() {
        assertThat(Bounds.requireIn("--nodes", (Integer) null, 1, 16, String::valueOf)).isNull();
        assertThatThrownBy(() -> Bounds.requireIn("--nodes", 17, 1, 16, String::valueOf))
                .hasMessage("--nodes must be in [1, 16]: 17");
    }
}
