package io.flakeproof.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMissingResultsDirectoryExitsTwoNamingIt() {
        final Fixtures.Run run = Fixtures.report("--from-results", dir.resolve("nope").toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--from-results must be a results directory: '" + dir.resolve("nope") + "'");
    }

    @Test
    void quickWithFromResultsExitsTwo() {
        final Fixtures.Run run = Fixtures.report("--quick", "--from-results", dir.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("give one of them, not both");
    }

    @Test
    void anUnknownOptionExitsTwoNamingIt() {
        final Fixtures.Run run = Fixtures.report("--fast");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("flakeproof report: Unknown option: '--fast'");
    }
}
