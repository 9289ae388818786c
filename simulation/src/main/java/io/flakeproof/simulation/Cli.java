package io.flakeproof.simulation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** What the simulation module's commands share: running one, and rejecting bad arguments with exit 2. */
final class Cli {

    /** The exit code of bad arguments. */
    static final int BAD_ARGUMENTS = 2;

    private Cli() {
    }

    /** Runs {@code command} on {@code args}: its exit code, or 2 with a message naming the command for bad arguments. */
    static int execute(Object command, String name, String[] args, PrintWriter out, PrintWriter err) {
        final CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("flakeproof " + name + ": " + e.getMessage());
            return BAD_ARGUMENTS;
        });
        return cli.execute(args);
    }

    static ParameterException bad(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code value}, unless it is outside {@code [low, high]}: then bad arguments naming the option, bound and value. */
    static <T extends Comparable<T>> T inRange(CommandSpec spec, String option, T value, T low, T high) {
        if (value != null && (value.compareTo(low) < 0 || value.compareTo(high) > 0)) {
            throw bad(spec, option + " must be in [" + low + ", " + high + "]: " + value);
        }
        return value;
    }

    /** A pretty-printing JSON writer on {@code file}, its folders created first. */
    static JsonGenerator json(Path file) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final JsonGenerator g = new JsonFactory().createGenerator(Files.newBufferedWriter(file));
        g.useDefaultPrettyPrinter();
        return g;
    }
}
