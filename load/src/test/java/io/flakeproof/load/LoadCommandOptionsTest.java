package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad option leaves with exit code 2 and exactly one line naming the value and its bound. */
class LoadCommandOptionsTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--rate        | 0           | rate must be in [1, 1000000]: 0",
        "--rate        | 1000001     | rate must be in [1, 1000000]: 1000001",
        "--duration    | 999ms       | duration must be in [1s, 1h]: 999ms",
        "--duration    | 61m         | duration must be in [1s, 1h]: 61m",
        "--duration    | soon        | duration must be a whole number with a unit ms, s, m or h, such as 250ms or 5s: 'soon'",
        "--connections | 0           | connections must be in [1, 1024]: 0",
        "--connections | 1025        | connections must be in [1, 1024]: 1025",
        "--count       | 0           | count must be in [1, 1000000]: 0",
        "--count       | 1000001     | count must be in [1, 1000000]: 1000001",
        "--warmup      | 11m         | warmup must be in [0ms, 10m]: 11m",
        "--gate-p99-ms | 0           | gate-p99-ms must be in (0, 60000]: 0",
        "--gate-p99-ms | -1.5        | gate-p99-ms must be in (0, 60000]: -1.5",
        "--baseline    | apache      | baseline must be auto, nginx or netty: 'apache'",
        "--gate-attempts | 11        | gate-attempts must be in [1, 10]: 11",
        "--gate-attempts | 2         | gate-attempts needs --gate-p99-ms and --baseline: it measures again only when the floor took half the gate or more",
        "--turns       | 0           | turns must be in [1, 60]: 0",
        "--turns       | 61          | turns must be in [1, 60]: 61",
        "--turns       | 2           | turns needs --baseline: the turns are the floor's and the node's, alternating",
        "--when-inconclusive | maybe | when-inconclusive must be fail or over-floor: 'maybe'",
        "--when-inconclusive | over-floor | when-inconclusive over-floor needs --gate-p99-ms, --baseline and --turns 2 or more: it compares the node with the floor measured in the same turns",
        "--url         | https://x:1 | url must be http://HOST[:PORT], such as http://127.0.0.1:8080: 'https://x:1'",
        "--url         | 127.0.0.1   | url must be http://HOST[:PORT], such as http://127.0.0.1:8080: '127.0.0.1'",
        "--url         | http://h/?a | url must be http://HOST[:PORT], such as http://127.0.0.1:8080: 'http://h/?a'",
        "--rate        | fast        | Invalid value for option '--rate': 'fast' is not a long",
    })
    void rejectsABadValueNamingItAndItsBound(String option, String value, String message) {
        assertRejected(message, option, value);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--bogus | Unknown option: '--bogus'; usage: flakeproof load [-h] [--url=URL] [--rate=R] [--duration=D] "
                + "[--count=N] [--connections=C] [--warmup=W] [--gate-p99-ms=MS] [--baseline [=SERVER]] [--gate-attempts=N] [--turns=N] [--when-inconclusive=RULE] [--json=FILE]",
        "--rate  | Missing required parameter for option '--rate' (R); usage: flakeproof load [-h] [--url=URL] "
                + "[--rate=R] [--duration=D] [--count=N] [--connections=C] [--warmup=W] [--gate-p99-ms=MS] [--baseline [=SERVER]] [--gate-attempts=N] [--turns=N] [--when-inconclusive=RULE] [--json=FILE]",
    })
    void appendsTheSynopsisWhenAnArgumentIsUnknownOrMissing(String argument, String message) {
        assertRejected(message, argument);
    }

    @Test
    void turnsMustDivideTheDuration() {
        assertRejected("turns must divide the duration's seconds: 30 s do not make 7 turns of whole seconds",
                "--duration", "30s", "--baseline", "--turns", "7");
    }

    private static void assertRejected(String message, String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        final int exit = LoadCommand.run(new PrintWriter(out), new PrintWriter(err), args);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("flakeproof load: " + message + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }
}
