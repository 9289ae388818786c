package io.flakeproof.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class CommandLinesTest {

    @Command(name = "tool")
    static final class Tool implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--rate", defaultValue = "10")
        long rate;

        @Option(names = "--explode")
        boolean explode;

        @Override
        public Integer call() {
            CommandLines.check(spec, () -> Bounds.requireIn("rate", rate, 1, 100));
            if (explode) {
                throw new IllegalStateException("boom");
            }
            spec.commandLine().getOut().println("rate " + rate);
            return 0;
        }
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return CommandLines.run(new Tool(), "flakeproof tool", new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void aGoodCommandLineRuns() {
        assertThat(run("--rate", "5")).isZero();
        assertThat(out.toString()).isEqualTo("rate 5" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aValueOutOfItsRangeIsOneLineNamingItAndItsBoundWithExitTwo() {
        assertThat(run("--rate", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("flakeproof tool: rate must be in [1, 100]: 0" + System.lineSeparator());
    }

    @Test
    void anUnknownOptionNamesItAndTheSynopsis() {
        assertThat(run("--speed", "3")).isEqualTo(2);
        assertThat(err.toString()).startsWith("flakeproof tool: Unknown options: '--speed', '3'; usage: tool");
        assertThat(err.toString().lines()).hasSize(1);
    }

    @Test
    void aMistypedValueIsExitTwo() {
        assertThat(run("--rate", "fast")).isEqualTo(2);
        assertThat(err.toString()).contains("'fast'").doesNotContain("\tat ");
    }

    @Test
    void anUnexpectedFailureIsOneLineAndExitOneNeverAStackTrace() {
        assertThat(run("--explode")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("flakeproof tool: tool failed: java.lang.IllegalStateException: boom"
                + System.lineSeparator());
    }
}
