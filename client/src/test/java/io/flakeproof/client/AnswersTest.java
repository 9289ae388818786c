package io.flakeproof.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the client accepts from a node, and the answers it refuses to turn into IDs. */
class AnswersTest {

    @Test
    void readsTheRangesOfAWellFormedAnswer() {
        final long[] pairs = Answers.ranges(
                " {\"ranges\": [ {\"first\":4096,\"count\":3}, {\"first\":8192,\"count\":2} ] }\n", 5);
        assertThat(pairs).containsExactly(4096, 3, 8192, 2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fewer IDs than asked     | {\"ranges\":[{\"first\":1,\"count\":4}]}                        | the ranges hold 4 IDs, not the 5 asked for",
        "more IDs than asked      | {\"ranges\":[{\"first\":1,\"count\":6}]}                        | the ranges hold 6 IDs, not the 5 asked for",
        "overlapping ranges       | {\"ranges\":[{\"first\":10,\"count\":3},{\"first\":12,\"count\":2}]} | ranges[1] {first 12, count 2} must be positive",
        "negative first           | {\"ranges\":[{\"first\":-5,\"count\":5}]}                       | ranges[0] {first -5, count 5} must be positive",
        "empty range              | {\"ranges\":[{\"first\":5,\"count\":0},{\"first\":6,\"count\":5}]}  | ranges[0] {first 5, count 0}",
        "past 2^63                | {\"ranges\":[{\"first\":9223372036854775805,\"count\":5}]}      | must be positive, at least 1 long",
        "first as a string        | {\"ranges\":[{\"first\":\"1\",\"count\":5}]}                     | 'first' must be an integer: 1",
        "fractional count         | {\"ranges\":[{\"first\":1,\"count\":5.0}]}                      | 'count' must be an integer: 5.0",
        "no ranges                | {\"ranges\":[]}                                               | 'ranges' must be a non-empty array",
        "an error body            | {\"error\":\"no lease\"}                                         | missing 'ranges'",
        "an array                 | [1,2]                                                         | answer must be a JSON object",
        "text after the value     | {\"ranges\":[{\"first\":1,\"count\":5}]}x                       | text after the value",
        "duplicate member         | {\"ranges\":[{\"first\":1,\"first\":2,\"count\":5}]}            | duplicate member 'first'",
        "an integer beyond a long | {\"ranges\":[{\"first\":99999999999999999999,\"count\":5}]}    | not a number that fits",
        "cut short                | {\"ranges\":[{\"first\":1,\"count\":5}                          | expected ']'",
        "HTML                     | <html>busy</html>                                             | unexpected '<'",
    })
    void refusesAMalformedRangesAnswer(String what, String body, String reason) {
        assertThatThrownBy(() -> Answers.ranges(body, 5))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void readsStatusAndLayoutFromHealth() {
        final Answers.Health health = Answers.health("{\"status\":\"degraded\",\"worker_id\":3,"
                + "\"layout\":{\"name\":\"snowflake\",\"bits\":\"41/0/10/12\",\"tick_ms\":1,"
                + "\"epoch\":\"2025-01-01T00:00:00.000Z\"},\"reasons\":[\"renewals fail\"]}");
        assertThat(health.status()).isEqualTo(NodeStatus.DEGRADED);
        assertThat(health.layout()).isEqualTo(new FleetLayout(41, 0, 10, 12, 1, Instant.parse("2025-01-01T00:00:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown status | {\"status\":\"fine\",\"layout\":{}}                                            | 'status' must be ok, degraded, warming or unavailable: fine",
        "bad bits       | {\"status\":\"ok\",\"layout\":{\"bits\":\"41/0/10\",\"tick_ms\":1,\"epoch\":\"2025-01-01T00:00:00Z\"}} | not a layout",
        "too many bits  | {\"status\":\"ok\",\"layout\":{\"bits\":\"41/0/10/13\",\"tick_ms\":1,\"epoch\":\"2025-01-01T00:00:00Z\"}} | the sum of the bits must be in [1, 63]: 64",
        "bad epoch      | {\"status\":\"ok\",\"layout\":{\"bits\":\"41/0/10/12\",\"tick_ms\":1,\"epoch\":\"yesterday\"}} | not a layout",
    })
    void refusesAMalformedHealthAnswer(String what, String body, String reason) {
        assertThatThrownBy(() -> Answers.health(body))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining(reason);
    }
}
