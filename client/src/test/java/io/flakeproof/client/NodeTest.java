package io.flakeproof.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** A node's circuit breaker at times the test names: no clock, no sleeps. */
class NodeTest {

    private static final int THRESHOLD = 3;
    private static final long OPEN_NANOS = 5_000_000_000L;

    private final Node node = new Node(URI.create("http://id1:8080"));

    /** Three requests sent and failed at 0 ns: the breaker is open until OPEN_NANOS. */
    private void open() {
        for (int i = 1; i <= THRESHOLD; i++) {
            node.sent(THRESHOLD);
            assertThat(node.failed("cannot connect", 0, 0, THRESHOLD, OPEN_NANOS)).as("failure %d opens it", i)
                    .isEqualTo(i == THRESHOLD);
        }
    }

    @Test
    void admitsOneProbeWhenTheOpenPeriodEndsAndNoOtherRequestUntilItIsAnswered() {
        open();
        assertThat(node.admits(OPEN_NANOS - 1, THRESHOLD)).isFalse();
        assertThat(node.admits(OPEN_NANOS, THRESHOLD)).isTrue();
        node.sent(THRESHOLD);
        assertThat(node.admits(OPEN_NANOS, THRESHOLD)).as("a second request while the probe is out").isFalse();
        assertThat(node.admits(10 * OPEN_NANOS, THRESHOLD)).as("however long the probe takes").isFalse();
        assertThat(node.whyNot(OPEN_NANOS, THRESHOLD))
                .isEqualTo("circuit half open, one request trying it after 3 failures in a row, last: cannot connect");

        node.succeeded();
        node.sent(THRESHOLD);
        node.sent(THRESHOLD);
        assertThat(node.admits(OPEN_NANOS, THRESHOLD)).as("closed: every request").isTrue();
    }

    @Test
    void opensAgainForAWholePeriodWhenTheProbeFails() {
        open();
        node.sent(THRESHOLD);
        final long answered = OPEN_NANOS + 1_000_000;

        assertThat(node.failed("cannot connect", OPEN_NANOS, answered, THRESHOLD, OPEN_NANOS)).isTrue();
        assertThat(node.admits(answered + OPEN_NANOS - 1, THRESHOLD)).isFalse();
        assertThat(node.admits(answered + OPEN_NANOS, THRESHOLD)).as("the next probe").isTrue();
    }

    @Test
    void aRequestSentBeforeItOpenedFailingLateNeitherEndsTheProbeNorOpensItAgain() {
        open();
        node.sent(THRESHOLD);

        assertThat(node.failed("timed out", 0, OPEN_NANOS + 1, THRESHOLD, OPEN_NANOS)).isFalse();
        assertThat(node.admits(OPEN_NANOS + 1, THRESHOLD)).as("the probe is still out").isFalse();
        assertThat(node.failed("cannot connect", OPEN_NANOS, OPEN_NANOS + 2, THRESHOLD, OPEN_NANOS)).as("the probe's failure")
                .isTrue();
    }
}
