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

/** {@code flakeproof simulate} as a user runs it: exit codes, the replay command, the JSON. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = SimulateCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--protocol nope          | protocol must be one of fenced, seed-quarantine, ephemeral-only, static-config, leaf-like, fenced-no-cluster-check: 'nope'",
        "--scenario weather       | scenario must be one of clock, pause, partition, crash, zookeeper, identity, mixed, rollback: 'weather'",
        "--seeds 0                | --seeds must be in [1, 100000000]: 0",
        "--nodes 17               | --nodes must be in [1, 16]: 17",
        "--policy absorb:1h:1s:x  | absorb takes two durations: 'absorb:1h:1s:x'",
        "--threads 0              | --threads must be in [1, 256]: 0",
    })
    void rejectsBadArgumentsWithExitTwoAndAMessage(String args, String message) {
        final Run r = run(args.strip().split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(message);
    }

    @Test
    void aCleanCampaignExitsZeroAndWritesItsResults() throws Exception {
        final Path json = dir.resolve("sim.json");
        final Run r = run("--seeds", "3", "--scenario", "pause", "--json", json.toString());
        assertThat(r.code()).as(r.out()).isIn(0, SimulateCommand.WEAK);
        assertThat(r.out()).contains("seed 1: protocol fenced").contains("3 seeds");
        assertThat(r.err()).contains("3/3 seeds");
        final String text = Files.readString(json);
        assertThat(text).contains("\"valid?\" : true").contains("\"ids_checked\"").contains("\"coverage\"");
    }

    @Test
    void aCollisionExitsOneWithItsReplayCommandWhichReproducesIt() {
        final Run r = run("--protocol", "leaf-like", "--scenario", "crash", "--seeds", "6");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("VIOLATION at seed").contains("replay:").contains("timeline of the shrunk run")
                .contains("MINTS ID");
        final String replay = r.out().lines().filter(l -> l.contains("replay it: ")).findFirst().orElseThrow();
        final String[] args = replay.substring(replay.indexOf("./flakeproof simulate ") + "./flakeproof simulate ".length())
                .split(" ");
        final Run again = run(args);
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.out()).contains("VIOLATION: ");
    }
}
