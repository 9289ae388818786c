package io.flakeproof.service;

import io.flakeproof.cli.CommandLines;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code flakeproof} command line. Each subcommand is its own class; this one only routes.
 *
 * <p>Exit codes: 0 when the command did its work or printed the help it was asked for; 1 when it
 * failed (one line says why); 2 for a bad command line. Every bad argument, whether picocli finds it (unknown option, missing parameter,
 * a value of the wrong type) or the generator does, leaves through {@link CommandLines}: one line on
 * stderr, {@code flakeproof: <the value and what was expected>}, never a stack trace.
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
        return CommandLines.run(new Main(), "flakeproof", out, err, args);
    }

    /** No subcommand: the usage, on stderr, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }
}
