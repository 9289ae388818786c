package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad options of {@code serve}: exit 2 and one line naming the value and what was expected. */
class ServeOptionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "serve --port 70000               | flakeproof: port must be in [0, 65535]: 70000",
        "serve --zookeeper-port -1        | flakeproof: zookeeper-port must be in [0, 65535]: -1",
        "serve --drift-policy sleep       | flakeproof: unknown drift policy 'sleep': expected fail, wait[:MAXWAIT] or absorb[:TOLERANCE[:MAXWAIT]], such as absorb:5ms:1s",
        "serve --lease-window 5           | flakeproof: duration must be a whole number with a unit ms, s, m or h, such as 250ms or 5s: '5'",
        "serve --datacenter 1             | flakeproof: datacenterId must be in [0, 0]: 1",
        "serve --cluster a/b              | flakeproof: cluster must be 1 to 64 of [A-Za-z0-9._-]: 'a/b'",
        "serve --max-count 0              | flakeproof: maxCount must be in [1, 1000000]: 0",
        "serve --max-connections 0        | flakeproof: maxConnections must be in [1, 1000000]: 0",
        "serve --max-pipelined 2000       | flakeproof: maxPipelined must be in [1, 1024]: 2000",
        "serve --max-request-bytes -1     | flakeproof: maxRequestBytes must be in [0, 16777216]: -1",
        "serve --max-answer-bytes 1000    | flakeproof: maxAnswerBytes must be in [1048576, 68719476736]: 1000",
        "serve --request-timeout 0s       | flakeproof: requestTimeout must be in [1ms, 1h]: 0ms",
        "serve --idle-timeout 5           | flakeproof: duration must be a whole number with a unit ms, s, m or h, such as 250ms or 5s: '5'",
        "serve --layout 41/0/10/11        | flakeproof: tick, datacenter, worker and sequence bits must sum to 63 (or 53 for IDs below 2^53): 41+0+10+11 = 62",
        "serve --port http                | flakeproof: Invalid value for option '--port': 'http' is not an int",
    })
    void rejectsBadOptions(String commandLine, String message) {
        final CommandRun run = CommandRun.of(commandLine.strip());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(message.strip());
    }

    @Test
    void everyOptionIsAlsoAnEnvironmentVariable() {
        assertThat(EnvironmentDefaults.variableOf("--lease-window")).isEqualTo("FLAKEPROOF_LEASE_WINDOW");
        final Map<String, String> env = Map.of("FLAKEPROOF_PORT", "70001");
        final CommandLine serve = new CommandLine(new ServeCommand())
                .setDefaultValueProvider(new EnvironmentDefaults(env::get));
        final CommandLine.ParseResult parsed = serve.parseArgs();
        assertThat(parsed.commandSpec().findOption("--port").<Integer>getValue()).isEqualTo(70001);
        assertThat(serve.parseArgs("--port", "9").commandSpec().findOption("--port").<Integer>getValue())
                .as("the command line wins").isEqualTo(9);
        assertThat(new CommandLine(new ServeCommand()).setDefaultValueProvider(new EnvironmentDefaults(k -> null))
                .parseArgs().commandSpec().findOption("--port").<Integer>getValue()).isEqualTo(8080);
    }
}
