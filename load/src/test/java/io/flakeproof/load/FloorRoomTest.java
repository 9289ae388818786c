package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * When a floor leaves room to judge the node ({@link LoadCommand#leavesRoom}), and how the turns of one
 * server add up ({@link LoadSummary#combine}).
 */
class FloorRoomTest {

    private static final LoadPlan PLAN = LoadPlan.parse("http://127.0.0.1:1", 100, "1s", 1, 1, "0s");
    private final Gate oneMillisecond = new Gate(1);

    @Test
    void aFloorUnderHalfTheGateLeavesRoomAndOneAtHalfOrAboveDoesNot() {
        assertThat(LoadCommand.leavesRoom(oneMillisecond, floorAt(499, 0))).isTrue();
        assertThat(LoadCommand.leavesRoom(oneMillisecond, floorAt(500, 0))).as("half the gate").isFalse();
        assertThat(LoadCommand.leavesRoom(oneMillisecond, floorAt(830, 0))).as("under the gate, over half").isFalse();
    }

    @Test
    void aFloorWithAFailedRequestLeavesNoRoomHoweverFast() {
        assertThat(LoadCommand.leavesRoom(oneMillisecond, floorAt(100, 1))).isFalse();
    }

    @Test
    void turnsCombineIntoOneRunWhosePercentilesAreThoseOfEveryRequest() {
        // 99 fast requests in one turn, one slow in the next, and a turn whose requests all failed: the
        // slow one is the combined run's maximum, above its p99, and the failures are added up.
        final LoadSummary fast = summary(99, 99, 0, 200);
        final LoadSummary slow = summary(1, 1, 0, 5_000);
        final LoadSummary failing = summary(10, 0, 10, 0);
        final LoadSummary all = LoadSummary.combine(PLAN, List.of(fast, slow, failing));

        assertThat(all.requests()).isEqualTo(110);
        assertThat(all.succeeded()).isEqualTo(100);
        assertThat(all.failed()).isEqualTo(10);
        assertThat(all.elapsedNanos()).isEqualTo(3_000_000_000L);
        assertThat(all.latency().getTotalCount()).isEqualTo(100);
        assertThat(all.latency().getMaxValue()).isBetween(4_990L, 5_010L);
        assertThat(all.p99Micros()).isBetween(199L, 201L);
    }

    private static LoadSummary floorAt(long p99Micros, long failed) {
        return summary(100, 100 - failed, failed, p99Micros);
    }

    /** {@code succeeded} requests all at {@code micros}, {@code failed} timed out, over one second. */
    private static LoadSummary summary(long requests, long succeeded, long failed, long micros) {
        final Histogram latency = new Histogram(Measurements.HIGHEST_MICROS, 3);
        latency.recordValueWithCount(micros, Math.max(1, succeeded));
        if (succeeded == 0) {
            latency.reset();
        }
        final Map<Failure, Long> failures = new EnumMap<>(Failure.class);
        for (Failure kind : Failure.values()) {
            failures.put(kind, 0L);
        }
        failures.put(Failure.TIMEOUT, failed);
        return new LoadSummary(PLAN, requests, succeeded, failures, 1_000_000_000L, latency, latency.copy(), latency.copy());
    }
}
