package io.flakeproof.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRenderTest {

    @TempDir
    Path dir;

    @Test
    void rendersAGreenReportFromTheResultsOfAQuickRun() throws Exception {
        final Path results = Fixtures.copy(dir);
        final Path out = dir.resolve("out");

        final Fixtures.Run run = Fixtures.report("--from-results", results.toString(), "--out", out.toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("report: " + out.resolve("index.html")).contains("verdict: GREEN");
        final String html = Files.readString(out.resolve("index.html"));
        final String md = Files.readString(out.resolve("REPORT.md"));
        for (String section : new String[] {"Verdict", "Claims and assumptions", "What was not tested", "Negative controls",
                "Trade-offs for engineers", "Performance", "The seed&#39;s comparison, measured", "B-tree locality", "Environment"}) {
            assertThat(html.replace("'", "&#39;")).contains(">" + section + "</h");
        }
        assertThat(html).contains("<strong>GREEN</strong>");
        assertThat(md).startsWith("# flakeproof: the collision-proof report").contains("## Verdict\n\n**GREEN**");
        assertThat(html.indexOf("Verdict")).isLessThan(html.indexOf("Claims and assumptions"));
    }

    @Test
    void theHtmlHoldsEveryChartInlineAndTheMarkdownEveryChartAsAFileBesideIt() throws Exception {
        final Path out = dir.resolve("out");
        Fixtures.report("--from-results", Fixtures.copy(dir).toString(), "--out", out.toString());

        final String html = Files.readString(out.resolve("index.html"));
        final String md = Files.readString(out.resolve("REPORT.md"));
        final long files;
        try (Stream<Path> svgs = Files.list(out)) {
            files = svgs.filter(p -> p.toString().endsWith(".svg")).count();
        }
        assertThat(files).isGreaterThanOrEqualTo(10);
        assertThat(Fixtures.count(html, "<svg")).isEqualTo(files);
        assertThat(Fixtures.count(md, "\\.svg\\)")).isEqualTo(files);
        // one chart per negative control that collided
        assertThat(Fixtures.count(html, "<figure id=\"chart-control-")).isEqualTo(5);
        // self-contained: no script, no stylesheet, image or frame loaded from anywhere
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("<img")
                .doesNotContain("<iframe").doesNotContain("src=").doesNotContain("href=\"http")
                .doesNotContain("<?xml").doesNotContain("<!DOCTYPE svg");
    }

    @Test
    void eachNegativeControlShowsItsExplanationAndItsReplayCommand() throws Exception {
        final Path out = dir.resolve("out");
        Fixtures.report("--from-results", Fixtures.copy(dir).toString(), "--out", out.toString());

        final String md = Files.readString(out.resolve("REPORT.md"));
        for (String control : new String[] {"ephemeral-only", "static-config", "leaf-like", "fenced-no-cluster-check",
                "seed-quarantine"}) {
            assertThat(md).contains("### " + control + " (")
                    .containsPattern("./flakeproof simulate --protocol " + control + " .* --keep-faults");
        }
        assertThat(md).contains("was minted twice");
    }

    @Test
    void aMissingExplorerIsReportedAsNotRun() throws Exception {
        final Path out = dir.resolve("out");
        Fixtures.report("--from-results", Fixtures.copy(dir).toString(), "--out", out.toString());

        assertThat(Files.readString(out.resolve("REPORT.md"))).contains("| explorer | not run |")
                .contains("The exhaustive explorer: **not run**");
    }

    @Test
    void explorerResultsGetTheirOwnSection() throws Exception {
        final Path results = Fixtures.copy(dir);
        Files.writeString(results.resolve("explorer.json"), "{\"states\": 1200, \"depth\": 8, \"violations\": 0}");
        final Path out = dir.resolve("out");

        final Fixtures.Run run = Fixtures.report("--from-results", results.toString(), "--out", out.toString());

        assertThat(run.code()).isZero();
        assertThat(Files.readString(out.resolve("REPORT.md"))).contains("### The explorer").contains("| states | 1200 |")
                .contains("| explorer | states 1200, depth 8, 0 violations |").doesNotContain("The exhaustive explorer: **not run**");
    }
}
