package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The exhaustive explorer: the fenced protocol clean in a small bound, the naive ones caught, the command's exits. */
class ExploreTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = ExploreCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static Explorer.Result explore(String protocol, int faults, int steps, int ticks, int depth) {
        return Explorer.explore(new SmallWorld.Bounds(protocol, 2, 1, faults, steps, ticks), depth, (d, f, n, t) -> { });
    }

    @Test
    void theFencedProtocolHasNoViolationInASmallBound() {
        final Explorer.Result r = explore("fenced", 1, 0, 2, 11);
        assertThat(r.violation()).isNull();
        assertThat(r.distinct()).isGreaterThan(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"static-config", "ephemeral-only", "leaf-like"})
    void eachNaiveProtocolIsCaughtWithAShortTrace(String protocol) {
        final Explorer.Result r = explore(protocol, 3, 1, 2, 15);
        assertThat(r.violation()).as(protocol).contains("minted twice");
        assertThat(r.path().length).isLessThanOrEqualTo(15);
        assertThat(r.timeline()).anyMatch(e -> e.what().startsWith("MINTS ID"));
    }

    @Test
    void aSearchIsTheSameEveryTime() {
        final Explorer.Result a = explore("fenced", 1, 0, 2, 9);
        final Explorer.Result b = explore("fenced", 1, 0, 2, 9);
        assertThat(b.transitions()).isEqualTo(a.transitions());
        assertThat(b.distinct()).isEqualTo(a.distinct());
    }

    @Test
    void aViolationExitsOneWithItsTimelineAndJson() throws Exception {
        final Path json = dir.resolve("explore.json");
        final Run r = run("--protocol", "static-config", "--depth", "6", "--json", json.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("VIOLATION after 3 events").contains("crashes").contains("MINTS ID");
        assertThat(r.err()).contains("depth 1:");
        assertThat(Files.readString(json)).contains("\"valid?\" : false").contains("\"timeline\"");
    }

    @Test
    void aCleanSearchExitsZero() {
        final Run r = run("--depth", "6", "--faults", "1", "--ticks", "1");
        assertThat(r.code()).as(r.out()).isZero();
        assertThat(r.out()).contains("ok: ").contains("distinct, depth reached 6 of 6");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--holders 4         | --holders must be in [2, 3]: 4",
        "--workers 3         | --workers must be in [1, 2]: 3",
        "--depth 0           | --depth must be in [1, 60]: 0",
        "--faults 11         | --faults must be in [0, 10]: 11",
        "--ticks 31          | --ticks must be in [0, 30]: 31",
        "--protocol nope     | protocol must be one of fenced, static-config, ephemeral-only, leaf-like: 'nope'",
        "--protocol seed-quarantine | pauses between checking its expiry and minting",
    })
    void rejectsBadArgumentsWithExitTwoAndAMessage(String args, String message) {
        final Run r = run(args.strip().split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }
}
