package io.flakeproof.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerdictTest {

    private static final String FENCED_MIXED = "simulation/fenced-mixed-absorb_5ms_1s.json";
    private static final String CONTROL = "simulation/ephemeral-only-pause-absorb_5ms_1s.json";

    @TempDir
    Path dir;

    @Test
    void theQuickRunIsGreen() throws Exception {
        final Verdict v = Verdict.of(Results.read(Fixtures.copy(dir)));

        assertThat(v.failures()).isEmpty();
        assertThat(v.green()).isTrue();
    }

    @Test
    void aViolationInTheFencedProtocolIsRed() throws Exception {
        final Path results = Fixtures.copy(dir);
        Fixtures.edit(results, FENCED_MIXED, n -> n.put("valid?", false).put("violating_seeds", 1));

        final Fixtures.Run run = Fixtures.report("--from-results", results.toString(), "--out", dir.resolve("out").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("verdict: RED").contains("fenced, mixed, absorb:5ms:1s: 1 violating seeds of 60");
        assertThat(Files.readString(dir.resolve("out/REPORT.md"))).contains("**RED**");
    }

    @Test
    void aNegativeControlThatFoundNothingIsFlagged() throws Exception {
        final Path results = Fixtures.copy(dir);
        Fixtures.edit(results, CONTROL, n -> {
            n.put("valid?", true).put("violating_seeds", 0);
            ((ArrayNode) n.get("violations")).removeAll();
        });

        final Fixtures.Run run = Fixtures.report("--from-results", results.toString(), "--out", dir.resolve("out").toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("negative control ephemeral-only (pause) found no collision in 5 seeds");
        assertThat(Files.readString(dir.resolve("out/REPORT.md"))).contains("**Found nothing**");
    }

    @Test
    void aWeakCampaignIsFlagged() throws Exception {
        final Path results = Fixtures.copy(dir);
        Fixtures.edit(results, FENCED_MIXED, n -> {
            n.put("weak", true);
            n.putArray("missed_coverage").add("refusal at the ceiling");
        });

        final Verdict v = Verdict.of(Results.read(results));

        assertThat(v.green()).isFalse();
        assertThat(v.failures()).containsExactly("fenced, mixed, absorb:5ms:1s: weak campaign, never reached refusal at the ceiling");
    }

    @Test
    void aJcstressFailureOrMissingJcstressIsRed() throws Exception {
        final Path results = Fixtures.copy(dir);
        Fixtures.edit(results, "jcstress.json", n -> n.put("failed", 2).put("exit_code", 1));
        assertThat(Verdict.of(Results.read(results)).failures()).singleElement().asString().startsWith("jcstress: 2 failed");

        Files.delete(results.resolve("jcstress.json"));
        assertThat(Verdict.of(Results.read(results)).failures()).containsExactly("no jcstress results");
    }

    @Test
    void anExplorerViolationIsRed() throws Exception {
        final Path results = Fixtures.copy(dir);
        Files.writeString(results.resolve("explorer.json"), "{\"states\": 1200, \"violations\": 1}");

        assertThat(Verdict.of(Results.read(results)).failures()).containsExactly("explorer: 1 violations");
    }

    @Test
    void aFailedStageIsRed() throws Exception {
        final Path results = Fixtures.copy(dir);
        final ArrayNode stages = (ArrayNode) Fixtures.JSON.readTree(results.resolve("stages.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) stages.get(6)).put("status", "failed").put("message", "no server");
        Fixtures.JSON.writeValue(results.resolve("stages.json").toFile(), stages);

        assertThat(Verdict.of(Results.read(results)).failures()).containsExactly("stage PostgreSQL comparison failed: no server");
    }
}
