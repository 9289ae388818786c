package io.flakeproof.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every flakeproof command runs: one picocli command line, printing to the given writers, with
 * the same three exits everywhere.
 * <ul>
 *   <li>0 when the command did its work, or printed the help it was asked for;</li>
 *   <li>1 when it failed: one line says why ({@link ExitCode#SOFTWARE} for a failure the command did
 *       not expect, never a stack trace);</li>
 *   <li>2 for a bad command line: one line on stderr, {@code PREFIX: <the value and what was
 *       expected>}, whether picocli found it (unknown option, missing or mistyped value) or the
 *       command's own checks did ({@link #check}).</li>
 * </ul>
 */
public final class CommandLines {

    private CommandLines() {
    }

    /**
     * Runs {@code command} (a picocli {@code @Command} object) on {@code args}.
     *
     * @param prefix what starts every error line, such as {@code flakeproof load}
     * @return the exit code
     */
    public static int run(Object command, String prefix, PrintWriter out, PrintWriter err, String... args) {
        final CommandLine commandLine = new CommandLine(command)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, ignored) -> reject(prefix, e))
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    cl.getErr().println(prefix + ": " + cl.getCommandName() + " failed: " + e);
                    return ExitCode.SOFTWARE;
                });
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The result of {@code parse}, which reads command-line values and throws
     * {@code IllegalArgumentException} naming the value and what was expected (the convention of
     * the whole project), turned into picocli's bad-argument error so that it leaves through the one
     * handler: one line, exit 2.
     *
     * @throws ParameterException carrying the message of the {@code IllegalArgumentException}
     */
    public static <T> T check(CommandSpec command, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** Runs {@code check} for its checks alone. */
    public static void check(CommandSpec command, Runnable check) {
        check(command, () -> {
            check.run();
            return null;
        });
    }

    /**
     * Prints one line naming what is wrong and returns 2. Picocli's messages for an unknown or missing
     * argument name the value but not the expectation, so the command's synopsis (or, for a command
     * with subcommands, their names) is appended on the same line.
     */
    static int reject(String prefix, ParameterException e) {
        final CommandLine commandLine = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException || e instanceof MissingParameterException) {
            message += "; " + expected(commandLine);
        }
        commandLine.getErr().println(prefix + ": " + message.replaceAll("\\s*\\R\\s*", " "));
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String expected(CommandLine commandLine) {
        if (!commandLine.getSubcommands().isEmpty()) {
            return "expected a command: " + String.join(", ", commandLine.getSubcommands().keySet());
        }
        return "usage: " + commandLine.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
    }
}
