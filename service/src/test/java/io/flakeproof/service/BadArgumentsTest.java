package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad command line: exit code 2 and one line on stderr naming the value and what was expected. */
class BadArgumentsTest {

    private static final String DECODE_USAGE =
            "usage: flakeproof decode [-h] [--epoch=MILLIS|ISO] [--layout=NAME|T/D/W/S] [--tick-ms=MS] ID";

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                // the ID
                Arguments.of("decode abc", "id must be a whole number in [0, 9223372036854775807]: 'abc'"),
                Arguments.of("decode 9223372036854775808",
                        "id must be a whole number in [0, 9223372036854775807]: '9223372036854775808'"),
                Arguments.of("decode -5", "id must be in [0, 9223372036854775807]: -5"),
                // the layout
                Arguments.of("decode 1 --layout nope", "unknown layout 'nope': expected one of snowflake, "
                        + "snowflake-dc, sonyflake-like, instagram-like, baidu-like, js-safe or T/D/W/S bits such as 41/0/10/12"),
                Arguments.of("layouts --layout nope", "unknown layout 'nope': expected one of snowflake, "
                        + "snowflake-dc, sonyflake-like, instagram-like, baidu-like, js-safe or T/D/W/S bits such as 41/0/10/12"),
                Arguments.of("decode 1 --layout 41/0/10/11",
                        "tick, datacenter, worker and sequence bits must sum to 63 (or 53 for IDs below 2^53): 41+0+10+11 = 62"),
                Arguments.of("decode 1 --layout 41/0/ten/12",
                        "layout bits must be whole numbers, T/D/W/S such as 41/0/10/12: '41/0/ten/12'"),
                Arguments.of("decode 1 --layout 41/10/12",
                        "layout bits must be T/D/W/S (tick/datacenter/worker/sequence), such as 41/0/10/12: '41/10/12'"),
                Arguments.of("decode 1 --layout 0/0/51/12", "tickBits must be in [1, 63]: 0"),
                // the epoch
                Arguments.of("decode 1 --epoch yesterday",
                        "epoch must be milliseconds since 1970 or ISO-8601 like 2025-01-01T00:00:00Z: 'yesterday'"),
                Arguments.of("layouts --epoch yesterday",
                        "epoch must be milliseconds since 1970 or ISO-8601 like 2025-01-01T00:00:00Z: 'yesterday'"),
                Arguments.of("decode 1 --epoch 99999999999999999999",
                        "epoch is out of range of a long of milliseconds: 99999999999999999999"),
                // the tick length
                Arguments.of("decode 1 --tick-ms 0", "tickMillis must be at least 1: 0"),
                Arguments.of("decode 1 --tick-ms -5", "tickMillis must be at least 1: -5"),
                Arguments.of("decode 1 --tick-ms ten", "Invalid value for option '--tick-ms': 'ten' is not a long"),
                Arguments.of("decode 1 --tick-ms 99999999999", "the tick field outlives a long of milliseconds: "
                        + "2^41 ticks of 99999999999 ms from epoch 1735689600000"),
                // the shape of the command line
                Arguments.of("decode 1 --frob", "Unknown option: '--frob'; " + DECODE_USAGE),
                Arguments.of("decode", "Missing required parameter: 'ID'; " + DECODE_USAGE),
                Arguments.of("decode 1 --layout",
                        "Missing required parameter for option '--layout' (NAME|T/D/W/S); " + DECODE_USAGE),
                Arguments.of("decode 1 2", "Unmatched argument at index 2: '2'; " + DECODE_USAGE),
                Arguments.of("layouts extra", "Unmatched argument at index 1: 'extra'; "
                        + "usage: flakeproof layouts [-h] [--cutover=ISO] [--epoch=MILLIS|ISO] [--layout=NAME|T/D/W/S] "
                        + "[--margin=DURATION] [--migrate-from=NAME|T/D/W/S[,TICK_MS[,EPOCH]]] [--tick-ms=MS]"),
                Arguments.of("layouts --migrate-from snowflake,1x", "--migrate-from's tick must be whole milliseconds: '1x'"),
                Arguments.of("frob", "Unmatched argument at index 0: 'frob'; expected a command: serve, layouts, decode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void rejectsWithExitCodeTwoAndOneLineNamingTheValueAndTheExpectation(String commandLine, String message) {
        final CommandRun run = CommandRun.of(commandLine);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly("flakeproof: " + message);
        assertThat(run.err()).doesNotContain("Exception", "at io.", "at picocli.");
    }
}
