package io.flakeproof.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void advanceMovesBothReadingsStepWallOnlyTheWall() {
        final ManualClock clock = new ManualClock(1_000);
        clock.advance(5);
        assertThat(clock.wallMillis()).isEqualTo(1_005);
        assertThat(clock.monotonicNanos()).isEqualTo(5_000_000);
        clock.stepWall(-100);
        assertThat(clock.wallMillis()).isEqualTo(905);
        assertThat(clock.monotonicNanos()).isEqualTo(5_000_000);
    }

    @Test
    void pauseIsVirtualTimePassingCarryingSubMillisecondRemainders() {
        final ManualClock clock = new ManualClock(0);
        clock.pause(600_000);
        assertThat(clock.wallMillis()).isZero();
        clock.pause(600_000);
        assertThat(clock.wallMillis()).isEqualTo(1);
        assertThat(clock.monotonicNanos()).isEqualTo(1_200_000);
        clock.pause(-5);
        assertThat(clock.monotonicNanos()).isEqualTo(1_200_000);
    }

    @Test
    void timeCannotPassBackwards() {
        assertThatThrownBy(() -> new ManualClock(0).advance(-1))
                .hasMessage("time cannot pass backwards; use stepWall: -1");
    }
}
