package io.flakeproof.service;

import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.BitLayout;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --layout}, {@code --tick-ms} and {@code --epoch}: the options that name a layout, read by {@link BitLayout#parse}. */
final class LayoutOptions {

    /** The layout when no option names one. */
    static final String DEFAULT_LAYOUT = "snowflake";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--layout", paramLabel = "NAME|T/D/W/S",
            description = "A preset (see 'flakeproof layouts') or tick/datacenter/worker/sequence bits such as "
                    + "41/5/5/12; default " + DEFAULT_LAYOUT + ".")
    private String spec;

    @Option(names = "--tick-ms", paramLabel = "MS",
            description = "Tick length in milliseconds; default the preset's, or 1 for bits.")
    private Long tickMillis;

    @Option(names = "--epoch", paramLabel = "MILLIS|ISO",
            description = "Tick 0, as milliseconds since 1970 or ISO-8601 such as 2025-01-01T00:00:00Z; "
                    + "default the layout's.")
    private String epoch;

    /** Whether any of the options is on the command line. */
    boolean given() {
        return spec != null || tickMillis != null || epoch != null;
    }

    /**
     * The layout the options name, {@value #DEFAULT_LAYOUT} when none is given.
     *
     * @throws ParameterException naming the value that is wrong and what was expected
     */
    BitLayout layout() {
        return CommandLines.check(command, () -> BitLayout.parse(spec == null ? DEFAULT_LAYOUT : spec, tickMillis, epoch));
    }
}
