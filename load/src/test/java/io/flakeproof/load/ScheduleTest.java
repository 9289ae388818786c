package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final long START = 5_000_000_000L;

    @Test
    void spacesRequestsOneOverTheRateApartRoundingDown() {
        final Schedule schedule = new Schedule(START, 3, 9);

        assertThat(schedule.intendedNanos(0)).isEqualTo(START);
        assertThat(schedule.intendedNanos(1)).isEqualTo(START + 333_333_333);
        assertThat(schedule.intendedNanos(2)).isEqualTo(START + 666_666_666);
        assertThat(schedule.intendedNanos(3)).isEqualTo(START + 1_000_000_000);
        assertThat(schedule.lastNanos()).isEqualTo(START + 2_666_666_666L);
    }

    @Test
    void countsARequestDueFromItsIntendedNanosecondOn() {
        final Schedule schedule = new Schedule(START, 3, 9);

        assertThat(schedule.dueBy(START - 1)).isZero();
        assertThat(schedule.dueBy(START)).isEqualTo(1);
        assertThat(schedule.dueBy(START + 333_333_332)).isEqualTo(1);
        assertThat(schedule.dueBy(START + 333_333_333)).isEqualTo(2);
        assertThat(schedule.dueBy(START + 2_666_666_665L)).isEqualTo(8);
        assertThat(schedule.dueBy(START + 2_666_666_666L)).isEqualTo(9);
    }

    @Test
    void neverReleasesMoreThanTheScheduleHoldsHoweverLateItIsAsked() {
        final Schedule schedule = new Schedule(START, 1_000_000, 3_600_000_000L);

        assertThat(schedule.dueBy(Long.MAX_VALUE)).isEqualTo(3_600_000_000L);
        assertThat(schedule.intendedNanos(3_599_999_999L)).isEqualTo(START + 3_599_999_999_000L);
    }

    @Test
    void dueByAgreesWithIntendedTimesForAnyRate() {
        final SplittableRandom random = new SplittableRandom(20251126);
        for (int trial = 0; trial < 10_000; trial++) {
            final long rate = random.nextLong(1, 1_000_001);
            final long requests = random.nextLong(2, rate * 3600 + 1);
            final Schedule schedule = new Schedule(START, rate, requests);
            final long i = random.nextLong(1, requests);
            final String seed = "seed 20251126, trial " + trial + ": rate " + rate + ", request " + i;

            assertThat(schedule.dueBy(schedule.intendedNanos(i))).as(seed).isEqualTo(i + 1);
            if (schedule.intendedNanos(i) > schedule.intendedNanos(i - 1)) {
                assertThat(schedule.dueBy(schedule.intendedNanos(i) - 1)).as(seed).isEqualTo(i);
            }
        }
    }

    @Test
    void chargesLatencyFromTheIntendedTimeNotTheActualSend() {
        final Schedule schedule = new Schedule(START, 1000, 100);
        // Request 10 was intended at START + 10 ms. It waited 4 ms for a connection behind a stalled
        // request and was then answered 0.2 ms after it left: its latency is 4.2 ms, not 0.2 ms.
        final long intended = START + 10_000_000;
        final long answered = intended + 4_200_000;

        assertThat(schedule.latencyMicros(10, answered)).isEqualTo(4_200);
    }

    @Test
    void neverReportsANegativeLatency() {
        final Schedule schedule = new Schedule(START, 1000, 100);

        assertThat(schedule.latencyMicros(10, START)).isZero();
    }

    @Test
    void refusesARateOrLengthItCannotSchedule() {
        assertThatThrownBy(() -> new Schedule(START, 0, 10))
                .hasMessage("rate must be at least 1 per second: 0");
        assertThatThrownBy(() -> new Schedule(START, 10, 0))
                .hasMessage("requests must be in [1, 9223372036]: 0");
    }
}
