package io.flakeproof.service;

import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.Durations;
import io.flakeproof.generator.SystemClock;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flakeproof layouts}: the presets as a table of what each one buys and costs, and the layout
 * named by the layout options, if any. Every figure comes from {@link BitLayout}.
 */
@Command(name = "layouts",
        description = "List the preset layouts: bits, tick, lifetime, overflow date, capacity and the bound on IDs "
                + "(2^53: JavaScript reads them exactly). "
                + "With layout options, that layout too. With --migrate-from, check a move of a fleet from that "
                + "layout to the one the layout options name instead (exit 1 when no start time is safe).")
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

    @Option(names = "--migrate-from", paramLabel = "NAME|T/D/W/S[,TICK_MS[,EPOCH]]",
            description = "The layout the fleet runs now: say from when nodes of the new layout may start so that "
                    + "every new ID is above every old one (unique and sorted across the move).")
    private String migrateFrom;

    @Option(names = "--cutover", paramLabel = "ISO",
            description = "With --migrate-from: when the last node of the old layout is stopped; default now.")
    private String cutover;

    @Option(names = "--margin", defaultValue = "11s", paramLabel = "DURATION",
            description = "With --migrate-from: clock error and lease lead allowed on either side, the lease window "
                    + "plus the clock offset bound; default ${DEFAULT-VALUE}.")
    private String margin;

    @Override
    public Integer call() {
        if (migrateFrom != null) {
            return migration(spec.commandLine().getOut());
        }
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

    private int migration(PrintWriter out) {
        final String[] from = migrateFrom.split(",", 3);
        final BitLayout oldLayout = CommandLines.check(spec, () -> BitLayout.parse(from[0],
                from.length > 1 ? tickMillis(from[1]) : null, from.length > 2 ? from[2] : null));
        final BitLayout newLayout = layoutOptions.layout();
        final Instant at = CommandLines.check(spec, () -> cutover == null ? Instant.ofEpochMilli(SystemClock.INSTANCE.wallMillis())
                : Instant.ofEpochMilli(BitLayout.parseEpoch(cutover)));
        final LayoutMigration plan = CommandLines.check(spec, () -> LayoutMigration.plan(oldLayout, newLayout, at,
                Durations.parse(margin)));
        out.println("from: " + oldLayout.describe() + ", overflows at " + Timestamps.isoMillis(oldLayout.overflowInstant()));
        out.println("to:   " + newLayout.describe() + ", overflows at " + Timestamps.isoMillis(newLayout.overflowInstant()));
        out.println(plan.largestOldId() < 0 ? "old IDs: none before " + Timestamps.isoMillis(at.plus(plan.margin()))
                : String.format(Locale.ROOT, "old IDs: at most %d, by the cutover %s plus the %s margin",
                        plan.largestOldId(), Timestamps.isoMillis(at), Durations.format(plan.margin())));
        if (!plan.possible()) {
            out.printf(Locale.ROOT, "not possible: the largest ID of %s is %d, not above %d; choose a layout with more "
                    + "tick bits below its datacenter, worker and sequence bits, a longer tick, or an earlier epoch%n",
                    newLayout.describe(), newLayout.compose(newLayout.maxTick(), newLayout.maxDatacenterId(),
                            newLayout.maxWorkerId(), newLayout.maxSequence()), plan.largestOldId());
            return ExitCode.SOFTWARE;
        }
        out.printf(Locale.ROOT, "new IDs: above them from tick %d, which starts at %s%n", plan.firstNewTick(),
                Timestamps.isoMillis(Instant.ofEpochMilli(newLayout.startMillisOf(plan.firstNewTick()))));
        out.printf(Locale.ROOT, "start the first node of the new layout at or after %s, %s after the cutover; it "
                + "mints until %s%n", Timestamps.isoMillis(plan.earliestStart()), gap(plan.gap()),
                Timestamps.isoMillis(newLayout.overflowInstant()));
        return ExitCode.OK;
    }

    /** Exact up to a day ({@code 22001ms}, {@code 2h}), in days beyond. */
    private static String gap(Duration gap) {
        return gap.compareTo(Duration.ofDays(1)) < 0 ? Durations.format(gap)
                : String.format(Locale.ROOT, "%.1f days", gap.toMillis() / 86_400_000.0);
    }

    private static long tickMillis(String text) {
        if (!text.trim().matches("\\d{1,18}")) {
            throw new IllegalArgumentException("--migrate-from's tick must be whole milliseconds: '" + text + "'");
        }
        return Long.parseLong(text.trim());
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
