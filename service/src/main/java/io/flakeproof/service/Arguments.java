package io.flakeproof.service;

import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The bridge between the generator's convention for bad arguments ({@code IllegalArgumentException}
 * whose message names the value and what was expected) and picocli's ({@link ParameterException}),
 * so that both kinds of bad argument leave through {@link Main}'s one handler: one line, exit 2.
 */
final class Arguments {

    private Arguments() {
    }

    /**
     * The result of {@code parse}, which reads command-line values.
     *
     * @throws ParameterException with the message of the {@code IllegalArgumentException} that {@code parse} threw
     */
    static <T> T check(CommandSpec command, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }
}
