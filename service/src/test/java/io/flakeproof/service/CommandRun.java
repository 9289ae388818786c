package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** One run of the command line through {@link Main#run}, with its exit code and what it printed. */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun of(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }

    /** A run of a command line written with single spaces between its arguments. */
    static CommandRun of(String commandLine) {
        return of(commandLine.split(" "));
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** Asserts a successful run that printed nothing on stderr, and returns it. */
    CommandRun succeeded() {
        assertThat(err).as("stderr").isEmpty();
        assertThat(exitCode).as("exit code").isZero();
        return this;
    }
}
