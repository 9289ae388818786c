package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    @Test
    void printsTheUsageAsAnErrorWithoutACommand() {
        final CommandRun run = CommandRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: flakeproof").contains("layouts", "decode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "decode --help", "layouts -h"})
    void printsTheHelpItIsAskedForAndSucceeds(String commandLine) {
        final CommandRun run = CommandRun.of(commandLine).succeeded();

        assertThat(run.out()).startsWith("Usage: flakeproof").contains("--help");
    }

    @Test
    void helpOfDecodeNamesEveryOption() {
        assertThat(CommandRun.of("decode", "--help").succeeded().out())
                .contains("ID", "--layout=NAME|T/D/W/S", "--tick-ms=MS", "--epoch=MILLIS|ISO");
    }
}
