package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Durations;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code flakeproof layouts}: the presets as a table of what each one buys and costs, and the layout
 * named by the layout options, if any. Every figure comes from {@link BitLayout}.
 */
@Command(name = "layouts",
        description = "List the preset layouts: bits, tick, lifetime, overflow date, capacity and the bound on IDs "
                + "(2^53: JavaScript reads them exactly). "
                + "With layout options, that layout too.")
final class LayoutsCommand implements Callable<Integer> {

    private static final String[] HEADER = {
        "name", "bits T/D/W/S", "tick", "lifetime (years)", "overflows (UTC)", "datacenters", "workers", "IDs/s per worker", "IDs below",
    };

    /** Which columns hold numbers, aligned right; the others are aligned left. */
    private static final boolean[] NUMERIC = {false, false, false, true, false, true, true, true, true};

    private static final String GAP = "  ";

    @Spec
    private CommandSpec spec;

    @Mixin
    private LayoutOptions layoutOptions;

    @Override
    public Integer call() {
        final List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        BitLayout.presets().forEach((name, layout) -> rows.add(row(name, layout)));
        if (layoutOptions.given()) {
            final BitLayout layout = layoutOptions.layout();
            rows.add(row(layout.describe(), layout));
        }
        print(spec.commandLine().getOut(), rows);
        return ExitCode.OK;
    }

    private static String[] row(String name, BitLayout layout) {
        return new String[] {
            name,
            layout.bits(),
            Durations.format(layout.tickLength()),
            String.format(Locale.ROOT, "%.1f", layout.lifetimeYears()),
            LocalDate.ofInstant(layout.overflowInstant(), ZoneOffset.UTC).toString(),
            String.format(Locale.ROOT, "%,d", layout.datacenterCapacity()),
            String.format(Locale.ROOT, "%,d", layout.workerCapacity()),
            String.format(Locale.ROOT, "%,.0f", layout.idsPerSecondPerWorker()),
            "2^" + layout.idBits(),
        };
    }

    /** Each column as wide as its widest cell, {@link #GAP} between columns. */
    private static void print(PrintWriter out, List<String[]> rows) {
        final int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            final StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                final String padding = " ".repeat(widths[c] - row[c].length());
                line.append(c == 0 ? "" : GAP).append(NUMERIC[c] ? padding + row[c] : row[c] + padding);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
