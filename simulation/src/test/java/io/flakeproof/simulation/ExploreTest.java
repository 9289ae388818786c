package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    private static Explorer.Result explore(String protocol, int faults, int steps, int ticks, int depth, boolean reduced) {
        return Explorer.explore(new SmallWorld.Bounds(protocol, 2, 1, faults, steps, ticks, reduced), depth,
                (d, f, n, t) -> { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"static-config", "ephemeral-only", "leaf-like"})
    void theReductionCatchesEachNaiveProtocolAsTheFullSearchDoes(String protocol) {
        final Explorer.Result full = explore(protocol, 3, 1, 2, 15, false);
        final Explorer.Result reduced = explore(protocol, 3, 1, 2, 15, true);
        assertThat(full.violation()).as(protocol).contains("minted twice");
        assertThat(reduced.violation()).as(protocol).contains("minted twice");
        assertThat(reduced.path().length).as("as few events chosen").isEqualTo(full.path().length);
        assertThat(reduced.events()).as("its trace, the events the reduction added included").isLessThanOrEqualTo(15);
        final SmallWorld replayed = Explorer.replay(full.bounds(), reduced.trace(), false);
        assertThat(replayed.violation()).as("the trace is a path of the world without the reduction")
                .isEqualTo(reduced.violation());
    }

    @ParameterizedTest
    @CsvSource({"1, 2, 11", "2, 1, 9", "3, 1, 7"})
    void theReductionFindsTheFencedProtocolCleanAsTheFullSearchDoesInFewerStates(int faults, int ticks, int depth) {
        final Explorer.Result full = explore("fenced", faults, 0, ticks, depth, false);
        final Explorer.Result reduced = explore("fenced", faults, 0, ticks, depth, true);
        assertThat(full.violation()).isNull();
        assertThat(reduced.violation()).isNull();
        assertThat(reduced.distinct()).isLessThan(full.distinct());
        assertThat(reduced.transitions()).isLessThan(full.transitions());
    }

    @Test
    void theReadOfAProcessThatCrashedIsDeliveredAtOnceUnderTheReduction() {
        final int crash = SmallWorld.event(SmallWorld.Kind.CRASH, 0, 0);
        final int firstSession = SmallWorld.event(SmallWorld.Kind.DELIVER, 1, 0);
        final SmallWorld full = new SmallWorld(new SmallWorld.Bounds("fenced", 2, 1, 1, 0, 1, false), true);
        final SmallWorld reduced = new SmallWorld(new SmallWorld.Bounds("fenced", 2, 1, 1, 0, 1, true), true);
        assertThat(reduced.enabled()).as("its first read, in flight").contains(firstSession);
        full.apply(crash);
        reduced.apply(crash);
        assertThat(full.enabled()).as("the dead read waits for its delivery").contains(firstSession);
        assertThat(reduced.enabled()).as("delivered already").doesNotContain(firstSession);
        assertThat(reduced.applied()).containsExactly(crash, firstSession);
        full.apply(firstSession);
        assertThat(reduced.enabled()).as("the same events as after its delivery").isEqualTo(full.enabled());
        assertThat(reduced.faults()).isEqualTo(full.faults());
    }

    @Test
    void twoRestartsInEitherOrderAreOneStateUnderTheReduction() {
        final int crash0 = SmallWorld.event(SmallWorld.Kind.CRASH, 0, 0);
        final int crash1 = SmallWorld.event(SmallWorld.Kind.CRASH, 1, 0);
        for (boolean reduced : new boolean[] {true, false}) {
            final SmallWorld.Bounds bounds = new SmallWorld.Bounds("fenced", 2, 1, 2, 0, 1, reduced);
            final SmallWorld a = Explorer.replay(bounds, new int[] {crash0, crash1}, false);
            final SmallWorld b = Explorer.replay(bounds, new int[] {crash1, crash0}, false);
            if (reduced) {
                assertThat(a.key().hash()).as("sessions 3 and 4 swapped: the same state").isEqualTo(b.key().hash());
            } else {
                assertThat(a.key().hash()).as("without the reduction, sessions are numbers").isNotEqualTo(b.key().hash());
            }
        }
    }

    @Test
    void aStateAndItsMirrorAreOneStateUnderTheReduction() {
        // Process 0 takes three steps of its start in one world, process 1 the same three in the other.
        final int[] first = new int[3];
        final int[] second = new int[3];
        java.util.Arrays.fill(first, SmallWorld.event(SmallWorld.Kind.DELIVER, 1, 0));
        java.util.Arrays.fill(second, SmallWorld.event(SmallWorld.Kind.DELIVER, 2, 0));
        final SmallWorld.Bounds reduced = new SmallWorld.Bounds("fenced", 2, 1, 1, 0, 1, true);
        final SmallWorld a = Explorer.replay(reduced, first, false);
        final SmallWorld b = Explorer.replay(reduced, second, false);
        assertThat(a.hash(new StateKey())).as("the slots swapped: one state").isEqualTo(b.hash(new StateKey()));
        assertThat(a.key().hash()).as("written in the slots' own order, they differ").isNotEqualTo(b.key().hash());
        assertThat(a.hash(new StateKey())).as("and differ from the start").isNotEqualTo(
                new SmallWorld(reduced, false).hash(new StateKey()));
        final SmallWorld.Bounds full = new SmallWorld.Bounds("fenced", 2, 1, 1, 0, 1, false);
        assertThat(Explorer.replay(full, first, false).hash(new StateKey())).as("no symmetry without the reduction")
                .isNotEqualTo(Explorer.replay(full, second, false).hash(new StateKey()));
    }

    @ParameterizedTest
    @CsvSource({"fenced, true", "ephemeral-only, true", "static-config, false", "leaf-like, false"})
    void onlyProcessesThatDependOnTheirSlotOnlyByNameAreSwapped(String protocol, boolean symmetric) {
        // Along a walk of the world, a state's hash is its key's in the slots' own order unless the
        // symmetry wrote it in another order: it does for some state of a symmetric protocol, never else.
        final SmallWorld w = new SmallWorld(new SmallWorld.Bounds(protocol, 2, 2, 3, 1, 2, true), false);
        final java.util.Random random = new java.util.Random(3);
        boolean swapped = false;
        for (int i = 0; i < 40 && w.violation() == null && !w.enabled().isEmpty(); i++) {
            swapped |= !java.util.Arrays.equals(w.hash(new StateKey()), w.key().hash());
            final java.util.List<Integer> events = w.enabled();
            w.apply(events.get(random.nextInt(events.size())));
        }
        assertThat(swapped).isEqualTo(symmetric);
    }

    @Test
    void tokensAndIdentitiesAreRenamedByTheirFirstAppearanceWhenAsked() {
        final io.flakeproof.generator.lease.WorkerRecord x = new io.flakeproof.generator.lease.WorkerRecord(1, "h0.1:aa", 5, 11);
        final io.flakeproof.generator.lease.WorkerRecord y = new io.flakeproof.generator.lease.WorkerRecord(1, "h1.1:bb", 5, 22);
        final io.flakeproof.generator.lease.WorkerRecord z = new io.flakeproof.generator.lease.WorkerRecord(1, "h0.1:aa", 5, 22);
        assertThat(new StateKey().byAppearance().add(x).add(y).hash()).as("another holder and token, met in one place")
                .isEqualTo(new StateKey().byAppearance().add(y).add(x).hash());
        assertThat(new StateKey().add(x).add(y).hash()).as("by value").isNotEqualTo(new StateKey().add(y).add(x).hash());
        assertThat(new StateKey().byAppearance().add(x).add(x).hash()).as("one holder twice is not two holders")
                .isNotEqualTo(new StateKey().byAppearance().add(x).add(y).hash());
        assertThat(new StateKey().byAppearance().add(x).add(z).hash()).as("one holder with two tokens")
                .isNotEqualTo(new StateKey().byAppearance().add(x).add(y).hash());
        assertThat(new StateKey().byAppearance().add(x).add(z).hash()).as("one token twice is not two tokens")
                .isNotEqualTo(new StateKey().byAppearance().add(x).add(x).hash());
    }

    @Test
    void theSymmetryIsOffWhenProcessStartsWouldTryTheWorkersInDifferentOrders() {
        // The core starts its search of the workers at a point its identity's hash decides. With the
        // explorer's names, every process start up to incarnation 19 starts at worker 0, and slot 0's
        // 20th (19 faults) at worker 1: only then may identities not be renamed away.
        assertThat(new SmallWorld(new SmallWorld.Bounds("fenced", 3, 2, 18, 0, 1), false).symmetric()).isTrue();
        assertThat(new SmallWorld(new SmallWorld.Bounds("fenced", 3, 2, 19, 0, 1), false).symmetric()).isFalse();
        assertThat(new SmallWorld(new SmallWorld.Bounds("fenced", 2, 1, 19, 0, 1), false).symmetric())
                .as("one worker: nothing to choose").isTrue();
        assertThat(new SmallWorld(new SmallWorld.Bounds("fenced", 2, 2, 1, 0, 1, false), false).symmetric())
                .as("never without the reduction").isFalse();
    }

    @Test
    void theCommandSearchesWithoutTheReductionWhenAsked() {
        final Run on = run("--depth", "6");
        final Run off = run("--depth", "6", "--no-reduction");
        assertThat(on.code()).isZero();
        assertThat(off.code()).isZero();
        assertThat(on.out()).contains("reduction on");
        assertThat(off.out()).contains("reduction off");
    }

    @Test
    void aSearchIsTheSameEveryTime() {
        final Explorer.Result a = explore("fenced", 1, 0, 2, 9);
        final Explorer.Result b = explore("fenced", 1, 0, 2, 9);
        assertThat(b.transitions()).isEqualTo(a.transitions());
        assertThat(b.distinct()).isEqualTo(a.distinct());
    }

    @Test
    void threadsChangeNothingInTheResult() {
        final SmallWorld.Bounds bounds = new SmallWorld.Bounds("fenced", 2, 1, 2, 0, 1);
        final Explorer.Result one = Explorer.explore(bounds, 8, 1, (d, f, n, t) -> { });
        final Explorer.Result two = Explorer.explore(bounds, 8, 2, (d, f, n, t) -> { });
        assertThat(two.transitions()).isEqualTo(one.transitions());
        assertThat(two.distinct()).isEqualTo(one.distinct());
        final Explorer.Result caughtOne = Explorer.explore(new SmallWorld.Bounds("leaf-like", 2, 1, 3, 1, 2), 15, 1,
                (d, f, n, t) -> { });
        final Explorer.Result caughtTwo = Explorer.explore(new SmallWorld.Bounds("leaf-like", 2, 1, 3, 1, 2), 15, 2,
                (d, f, n, t) -> { });
        assertThat(caughtTwo.path()).isEqualTo(caughtOne.path());
        assertThat(caughtTwo.transitions()).isEqualTo(caughtOne.transitions());
    }

    @Test
    void aStateSeenAgainIsExploredAgainOnlyWithFewerFaultsSpent() {
        final Explorer.Visited seen = new Explorer.Visited();
        final long[] h = {42, 7};
        assertThat(seen.add(h, 2)).as("new").isTrue();
        assertThat(seen.add(h, 2)).as("as many faults").isFalse();
        assertThat(seen.add(h, 3)).as("more faults").isFalse();
        assertThat(seen.add(h, 1)).as("fewer faults").isTrue();
        assertThat(seen.add(h, 1)).isFalse();
        assertThat(seen.add(new long[] {0, 0}, 0)).as("the zero hash is a state like any other").isTrue();
        assertThat(seen.add(new long[] {0, 0}, 0)).isFalse();
        assertThat(seen.size()).isEqualTo(2);
    }

    @Test
    void theKeyOfAStateIsItsPathsAndChangesWithAnEvent() {
        final SmallWorld.Bounds bounds = new SmallWorld.Bounds("fenced", 2, 1, 1, 0, 1);
        final SmallWorld a = new SmallWorld(bounds, false);
        final SmallWorld b = new SmallWorld(bounds, false);
        assertThat(a.key().hash()).isEqualTo(b.key().hash());
        final int first = a.enabled().get(0);
        a.apply(first);
        assertThat(a.key().hash()).isNotEqualTo(b.key().hash());
        b.apply(first);
        final StateKey reused = new StateKey();
        assertThat(b.key(reused).hash()).isEqualTo(a.key().hash());
        assertThat(b.key(reused).hash()).as("a key reused gives the same hash").isEqualTo(a.key().hash());
    }

    @Test
    void theKeysHashIsGuavasMurmur3OfTheLongsInLittleEndianOrder() {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int length : new int[] {0, 1, 2, 3, 17, 762, 1219}) {
            final long[] words = random.longs(length).toArray();
            final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(length * Long.BYTES)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(words);
            final java.nio.ByteBuffer guava = java.nio.ByteBuffer.wrap(com.google.common.hash.Hashing.murmur3_128()
                    .hashBytes(bytes.array()).asBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertThat(StateKey.murmur3(words)).as("%d longs", length)
                    .containsExactly(guava.getLong(), guava.getLong());
        }
    }

    @Test
    void aTypeTheKeyDoesNotKnowIsAnErrorNeverSkipped() {
        assertThatThrownBy(() -> new StateKey().add(new java.util.HashMap<>()))
                .hasMessageContaining("no canonical encoding for a java.util.HashMap");
    }

    @Test
    void tagsAreComparedByRankWithinTheirScope() {
        final long[] low = new StateKey().tag(0, 5).tag(0, 9).tag(1, 100).hash();
        final long[] high = new StateKey().tag(0, 50).tag(0, 90).tag(1, 7).hash();
        final long[] swapped = new StateKey().tag(0, 9).tag(0, 5).tag(1, 100).hash();
        assertThat(high).as("the same order in each scope").isEqualTo(low);
        assertThat(swapped).as("another order").isNotEqualTo(low);
    }

    @Test
    void aViolationExitsOneWithItsTimelineAndJson() throws Exception {
        final Path json = dir.resolve("explore.json");
        final Run r = run("--protocol", "static-config", "--depth", "6", "--json", json.toString());
        assertThat(r.code()).isEqualTo(1);
        // A tick, a mint, a crash; the new process can then do nothing but mint, and mints at once (the reduction).
        assertThat(r.out()).contains("VIOLATION after 4 events (3 chosen by the search, 1 added by the reduction)")
                .contains("crashes").contains("MINTS ID");
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
