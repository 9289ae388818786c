package io.flakeproof.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {

    @TempDir
    Path dir;

    @Test
    void theHeartbeatShowsTheLatestProgressLineOfTheStepsLog() throws Exception {
        final Path log = dir.resolve("simulate.log");
        Files.writeString(log, "flakeproof simulate: protocol fenced\n\r  10/1000 seeds, 5.0 M IDs checked\r  20/1000 seeds, 9.9 M IDs"
                + " checked   \n");

        assertThat(Progress.lastLine(log)).isEqualTo("20/1000 seeds, 9.9 M IDs checked");
    }

    @Test
    void aMissingOrEmptyLogShowsNothing() throws Exception {
        assertThat(Progress.lastLine(null)).isEmpty();
        assertThat(Progress.lastLine(dir.resolve("none.log"))).isEmpty();
        final Path empty = Files.writeString(dir.resolve("empty.log"), "\n\n");
        assertThat(Progress.lastLine(empty)).isEmpty();
    }
}
