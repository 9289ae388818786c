package io.flakeproof.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the report rendered from the fixture in headless Chromium (Debian's {@code chromium}) with
 * every network path closed, and checks that it renders with its charts: the DOM Chromium built holds
 * every SVG, nothing failed to load, and a screenshot lands in {@code target/chromium/}.
 *
 * <p>Without a {@code chromium} on the PATH the test is skipped, saying so, unless
 * {@code FLAKEPROOF_REQUIRE_CHROMIUM=1} (as {@code .ci/run} sets, having installed it): then it fails.
 */
class ChromiumTest {

    private static final Path OUT = Path.of("target/chromium").toAbsolutePath();

    @BeforeAll
    static void render() throws IOException {
        final boolean present = Proc.onPath("chromium");
        if (!present && "1".equals(System.getenv("FLAKEPROOF_REQUIRE_CHROMIUM"))) {
            fail("FLAKEPROOF_REQUIRE_CHROMIUM=1 but no chromium on the PATH (apt-get install chromium)");
        }
        Assumptions.assumeTrue(present, "no chromium on the PATH: the browser check is skipped (apt-get install chromium)");
        Files.createDirectories(OUT);
        final Path results = Fixtures.copy(Files.createTempDirectory(OUT, "fixture"));
        final Fixtures.Run run = Fixtures.report("--from-results", results.toString(), "--out", OUT.resolve("report").toString());
        assertThat(run.code()).as(run.err()).isZero();
    }

    private static Chromium chromium(String label, String mode) throws Exception {
        final Path profile = Files.createTempDirectory(OUT, "profile");
        final List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
                // no network: every host resolves to nothing and every proxied request goes to a closed port
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--enable-logging=stderr", "--v=0", "--window-size=1280,4000"));
        cmd.add(mode);
        cmd.add(OUT.resolve("report/index.html").toUri().toString());
        final Path stdout = OUT.resolve(label + ".out.txt");
        final Path stderr = OUT.resolve(label + ".err.txt");
        final Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s");
        }
        return new Chromium(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private record Chromium(int code, String out, String err) {
    }

    @Test
    void theBrowsersDomHoldsEveryChartAsSvgAndNothingFailedToLoad() throws Exception {
        final Chromium c = chromium("dom", "--dump-dom");

        assertThat(c.code()).as(c.err()).isZero();
        final long charts;
        try (var files = Files.list(OUT.resolve("report"))) {
            charts = files.filter(p -> p.toString().endsWith(".svg")).count();
        }
        assertThat(charts).isGreaterThanOrEqualTo(10);
        assertThat(Fixtures.count(c.out(), "<figure id=\"chart-[^\"]+\">\\s*<svg")).isEqualTo(charts);
        assertThat(Fixtures.count(c.out(), "</svg>")).isEqualTo(charts);
        assertThat(c.out()).contains("<h2 id=\"verdict\">Verdict</h2>");
        // nothing to load: no element that fetches anything, no reference outside the page
        assertThat(c.out()).doesNotContain("<img").doesNotContain("<link").doesNotContain("<script").doesNotContain("<iframe")
                .doesNotContain("<object").doesNotContain("<embed").doesNotContain("href=\"http").doesNotContain("src=");
        assertThat(Fixtures.count(c.out(), "url\\((?!#)")).isZero();
        // and nothing failed: no load error and no console error in Chromium's log
        assertThat(c.err()).doesNotContain("Failed to load").doesNotContain("net::ERR_").doesNotContain("Uncaught")
                .doesNotContain("CONSOLE");
    }

    @Test
    void takesAScreenshotIntoTheBuildDirectory() throws Exception {
        final Path shot = OUT.resolve("index.png");
        Files.deleteIfExists(shot);

        final Chromium c = chromium("screenshot", "--screenshot=" + shot);

        assertThat(c.code()).as(c.err()).isZero();
        assertThat(shot).exists();
        final byte[] png = Files.readAllBytes(shot);
        assertThat(png.length).isGreaterThan(50_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(c.err()).doesNotContain("Failed to load").doesNotContain("net::ERR_");
    }
}
