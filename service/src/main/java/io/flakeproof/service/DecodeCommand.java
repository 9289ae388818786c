package io.flakeproof.service;

import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DecodedId;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flakeproof decode ID}: the fields of an ID, one {@code name: value} a line. */
@Command(name = "decode", description = "Show the time, tick, datacenter, worker and sequence of an ID.")
final class DecodeCommand implements Callable<Integer> {


    @Spec
    private CommandSpec spec;

    @Mixin
    private LayoutOptions layoutOptions;

    @Parameters(paramLabel = "ID", description = "The ID, a whole number in [0, 2^63 - 1].")
    private String id;

    @Override
    public Integer call() {
        final BitLayout layout = layoutOptions.layout();
        final DecodedId decoded = CommandLines.check(spec, () -> layout.decode(parseId(id)));
        final PrintWriter out = spec.commandLine().getOut();
        out.println("id: " + decoded.id());
        out.println("timestamp: " + Timestamps.isoMillis(decoded.timestamp()));
        out.println("tick: " + decoded.tick());
        out.println("datacenter: " + decoded.datacenterId());
        out.println("worker: " + decoded.workerId());
        out.println("sequence: " + decoded.sequence());
        out.println("layout: " + layout.describe());
        return ExitCode.OK;
    }

    /** The ID as a long; whether it is in range is {@link BitLayout#decode}'s to say. */
    private static long parseId(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "id must be a whole number in [0, " + Long.MAX_VALUE + "]: '" + text + "'", e);
        }
    }
}
