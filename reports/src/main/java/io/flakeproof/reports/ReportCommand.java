package io.flakeproof.reports;

import io.flakeproof.cli.CommandLines;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flakeproof report}: runs the verification (or reads its results) and writes the
 * collision-proof report, {@code DIR/index.html} and its Markdown twin {@code DIR/REPORT.md}.
 *
 * <p>Exit codes: 0 green, 1 red, 2 bad arguments.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Run the verification and write the collision-proof report (HTML and Markdown).")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "Small bounds everywhere (under three minutes): what CI runs.")
    private boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write index.html and REPORT.md; default reports/out.")
    private Path out;

    @Option(names = "--from-results", paramLabel = "DIR",
            description = "Read the results of an earlier run from DIR (such as reports/out/results) instead of running.")
    private Path fromResults;

    private final Path root;

    ReportCommand(Path root) {
        this.root = root;
    }

    public static void main(String[] args) {
        System.exit(execute(repositoryRoot(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    static int execute(Path root, String[] args, PrintWriter out, PrintWriter err) {
        return CommandLines.run(new ReportCommand(root), "flakeproof report", out, err, args);
    }

    /** The repository this jar was built in: {@code ROOT/reports/target/reports.jar} (or its classes directory). */
    static Path repositoryRoot() {
        try {
            final Path code = Path.of(ReportCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    @Override
    public Integer call() throws Exception {
        final Path dir = out != null ? out.toAbsolutePath() : root.resolve("reports/out");
        if (fromResults != null && quick) {
            throw new ParameterException(spec.commandLine(),
                    "--quick bounds a run and --from-results reads one instead: give one of them, not both");
        }
        if (fromResults != null && !Files.isDirectory(fromResults)) {
            throw new ParameterException(spec.commandLine(), "--from-results must be a results directory: '" + fromResults + "'");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "--out must be a directory: '" + dir + "'");
        }
        final PrintWriter o = spec.commandLine().getOut();
        final PrintWriter e = spec.commandLine().getErr();
        Files.createDirectories(dir);
        final Path results;
        try (Progress progress = new Progress(e, fromResults == null ? Verification.STAGES.length + 1 : 1)) {
            if (fromResults == null) {
                results = dir.resolve("results");
                deleteTree(results);
                o.println("flakeproof report: " + (quick ? "a quick run" : "a full run") + "; results in " + results);
                o.flush();
                new Verification(root, results, Plan.of(quick), progress).runAll();
            } else {
                results = fromResults.toAbsolutePath();
            }
            progress.stage("writing the report");
            final Results read = Results.read(results);
            final Doc doc = Report.build(read);
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.filter(p -> p.toString().endsWith(".svg")).toList()) {
                    Files.delete(p);
                }
            }
            Files.writeString(dir.resolve("index.html"), HtmlWriter.render(doc, Report.TITLE), StandardCharsets.UTF_8);
            MarkdownWriter.write(doc, dir);
            final Verdict verdict = Verdict.of(read);
            o.println("report: " + dir.resolve("index.html") + " (Markdown: " + dir.resolve("REPORT.md") + ")");
            o.println("verdict: " + (verdict.green() ? "GREEN" : "RED"));
            verdict.failures().forEach(f -> o.println("  " + f));
            return verdict.green() ? 0 : 1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
