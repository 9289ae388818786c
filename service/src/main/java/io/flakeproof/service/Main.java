package io.flakeproof.service;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code flakeproof} command line. Each subcommand is its own class; this one only routes.
 *
 * <p>Exit codes: 0 when the command did its work or printed the help it was asked for; 1 when it
 * failed (one line says why); 2 for a bad command line. Every bad argument, whether picocli finds it (unknown option, missing parameter,
 * a value of the wrong type) or the generator does (see {@link Arguments}), leaves through
 * {@link #rejectArguments}: one line on stderr, {@code flakeproof: <the value and what was expected>},
 * never a stack trace.
 */
@Command(name = "flakeproof",
        description = "Lock-free, lease-fenced 64-bit Snowflake IDs.",
        subcommands = {ServeCommand.class, LayoutsCommand.class, DecodeCommand.class})
public final class Main implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(String... args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs one command line, printing to {@code out} and {@code err}.
     *
     * @return the exit code: 0 done, 2 bad arguments
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        final CommandLine commandLine = new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(Main::rejectArguments)
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    // A failure the command did not expect: one line, exit 1, never a stack trace.
                    cl.getErr().println("flakeproof: " + cl.getCommandName() + " failed: " + e);
                    return ExitCode.SOFTWARE;
                });
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** No subcommand: the usage, on stderr, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /**
     * Prints one line naming what is wrong. Picocli's messages for an unknown or missing argument
     * name the value but not the expectation, so the command's synopsis (or, for a command with
     * subcommands, their names) is appended on the same line.
     */
    private static int rejectArguments(ParameterException e, String[] args) {
        final CommandLine commandLine = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException || e instanceof MissingParameterException) {
            message += "; " + expected(commandLine);
        }
        commandLine.getErr().println("flakeproof: " + message.replaceAll("\\s*\\R\\s*", " "));
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String expected(CommandLine commandLine) {
        if (!commandLine.getSubcommands().isEmpty()) {
            return "expected a command: " + String.join(", ", commandLine.getSubcommands().keySet());
        }
        return "usage: " + commandLine.getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
    }
}
