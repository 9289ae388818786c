package io.flakeproof.generator.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaseCoreTest {

    private static final BitLayout LAYOUT = BitLayout.snowflake();
    private static final BitLayout ONE_WORKER = new BitLayout(41, 0, 0, 22, 1, LAYOUT.epochMillis());
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    private final ManualClock leaderClock = new ManualClock(START);
    private final MemoryLeaseStore store = new MemoryLeaseStore(leaderClock);
    private final Random random = new Random(7);

    static LeaseCore core(BitLayout layout, String holder, ManualClock clock, Random random, ClusterPolicy cluster) {
        return new LeaseCore(layout, 0, holder, clock, random, WINDOW, Duration.ofSeconds(1), Duration.ofMillis(500),
                cluster);
    }

    private MemoryLeaseStore.Driver node(String holder, ManualClock clock, BitLayout layout) {
        final LeaseCore core = core(layout, holder, clock, random, ClusterPolicy.firstStart("c"));
        return new MemoryLeaseStore.Driver(new LeaseHolder(layout, core, clock, DriftPolicy.DEFAULT), store.session());
    }

    private MemoryLeaseStore.Driver started(String holder, ManualClock clock) {
        return started(holder, clock, LAYOUT);
    }

    private MemoryLeaseStore.Driver started(String holder, ManualClock clock, BitLayout layout) {
        return node(holder, clock, layout).start().settle();
    }

    private static MemoryLeaseStore.Driver untilGranted(MemoryLeaseStore.Driver d) {
        while (d.notices(LeaseCommand.Granted.class).isEmpty()) {
            d.deliverOne();
        }
        return d;
    }

    private static long tick(ManualClock clock) {
        return LAYOUT.tickAt(clock.wallMillis());
    }

    @Test
    void acquiresANewWorkerAndRaisesItsCeilingOnlyWhenTheRenewalIsAcknowledged() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = untilGranted(node("a", clock, LAYOUT).start());
        final LeaseTerm term = a.notices(LeaseCommand.Granted.class).get(0).term();
        assertThat(term.floorTick()).isZero();
        assertThat(term.holderEpoch()).isEqualTo(1);
        assertThat(term.lease().ceilingTick()).as("nothing mintable before an acknowledged renewal").isZero();
        assertThat(a.holder.generator()).as("nothing in service yet").isNull();
        a.deliverOne(); // renewal acknowledged
        assertThat(term.lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
        assertThat(store.record(term.workerId()).ceilingTick()).isEqualTo(tick(clock) + 3000);
        assertThat(store.owned(term.workerId())).isTrue();
        assertThat(a.core.status().remainingMillis()).isEqualTo(3001);
        assertThat(a.holder.generator().lease()).isSameAs(term.lease());
        assertThat(a.notices(LeaseCommand.InService.class)).extracting(LeaseCommand.InService::term).containsExactly(term);
    }

    @Test
    void theFirstNodeCreatesTheClusterAndTellsItsShellToKeepItsId() {
        final MemoryLeaseStore.Driver a = started("a", new ManualClock(START));
        assertThat(a.notices(LeaseCommand.ClusterJoined.class)).singleElement().satisfies(j -> {
            assertThat(j.created()).isTrue();
            assertThat(j.record()).isEqualTo(store.cluster());
            assertThat(j.record().floorTick()).as("a new fleet starts at 0").isZero();
        });
        assertThat(a.core.status().clusterId()).isEqualTo(store.cluster().clusterId());
        final MemoryLeaseStore.Driver b = started("b", new ManualClock(START));
        assertThat(b.notices(LeaseCommand.ClusterJoined.class)).singleElement()
                .satisfies(j -> assertThat(j.created()).isFalse());
    }

    @Test
    void theHolderIdentityCarriesANonceWhateverIsConfigured() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("same", clock);
        final MemoryLeaseStore.Driver b = started("same", clock);
        assertThat(a.core.holder()).startsWith("same:").hasSize("same:".length() + 16);
        assertThat(a.core.holder()).isNotEqualTo(b.core.holder());
        assertThat(store.record(a.core.term().workerId()).holder()).isEqualTo(a.core.holder());
    }

    @Test
    void twoHoldersGetDifferentWorkers() {
        final ManualClock clock = new ManualClock(START);
        final LeaseTerm a = started("a", clock).core.term();
        final LeaseTerm b = started("b", clock).core.term();
        assertThat(a.workerId()).isNotEqualTo(b.workerId());
    }

    @Test
    void poolExhaustionIsAClearErrorAndRetriedLater() {
        final BitLayout fourWorkers = new BitLayout(41, 0, 2, 20, 1, LAYOUT.epochMillis());
        final ManualClock clock = new ManualClock(START);
        for (int i = 0; i < 4; i++) {
            assertThat(started("n" + i, clock, fourWorkers).core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        }
        final MemoryLeaseStore.Driver fifth = started("n4", clock, fourWorkers);
        assertThat(fifth.notices(LeaseCommand.AcquireFailed.class)).singleElement().satisfies(f -> {
            assertThat(f.failure()).isEqualTo(LeaseCommand.Failure.POOL_EXHAUSTED);
            assertThat(f.reason()).isEqualTo("worker pool exhausted: datacenter 0 has 4 of 4 workers held");
        });
        assertThat(fifth.holder.nextWakeNanos()).isEqualTo(clock.monotonicNanos() + Duration.ofMillis(500).toNanos());
    }

    @Test
    void renewsEveryThirdOfTheWindowAndOnlyThen() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long due = a.holder.nextWakeNanos();
        assertThat(due - clock.monotonicNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        clock.advance(999);
        assertThat(a.holder.onWake()).isEmpty();
        clock.advance(1);
        a.wake().settle();
        assertThat(a.core.term().lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
        assertThat(a.core.status().renewalsOk()).isEqualTo(2);
    }

    @Test
    void nextHolderAfterExpiryStartsAboveEveryAcknowledgedCeilingAndTheOldOneStopsAtItsOwn() {
        final ManualClock clockA = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clockA, ONE_WORKER);
        final LeaseTerm termA = a.core.term();
        final long ceilingA = termA.lease().ceilingTick();
        final SnowflakeGenerator genA = a.holder.generator();
        final List<Long> ids = new ArrayList<>();
        ids.add(genA.nextId());

        store.expire(a.session);
        // B's clock is 900 ms behind A's (within the offset bound): B's floor is A's ceiling regardless.
        final ManualClock clockB = new ManualClock(START.minusMillis(900));
        final MemoryLeaseStore.Driver b = started("b", clockB, ONE_WORKER);
        final LeaseTerm termB = b.core.term();
        assertThat(termB.workerId()).isEqualTo(termA.workerId());
        assertThat(termB.floorTick()).isEqualTo(ceilingA);
        assertThat(termB.holderEpoch()).isEqualTo(2);
        assertThat(termB.lease().ceilingTick()).as("B's clock + window is below its floor: nothing to mint yet")
                .isEqualTo(ceilingA);
        assertThat(b.holder.generator()).isNull();

        // A does not know yet; its next renewal is refused and the term is lost, its ceiling unchanged.
        clockA.advance(1000);
        a.session.expired = false; // a new session; the record's version has moved on regardless
        a.wake().settle();
        assertThat(a.notices(LeaseCommand.Lost.class)).hasSize(1);
        assertThat(termA.lease().ceilingTick()).isEqualTo(ceilingA);
        assertThat(store.record(termA.workerId()).holder()).isEqualTo(b.core.holder());

        // A mints up to its ceiling and then refuses; B goes into service once its clock reaches its floor.
        clockA.advance(2000);
        for (int i = 0; i < 5; i++) {
            ids.add(genA.nextId());
        }
        clockA.advance(1);
        assertThatThrownBy(genA::nextId).isInstanceOfSatisfying(MintRefusedException.class,
                e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED));
        clockB.advance(4000);
        leaderClock.advance(4000);
        b.wake().settle();
        final SnowflakeGenerator genB = b.holder.generator();
        for (int i = 0; i < 5; i++) {
            final long id = genB.nextId();
            assertThat(ONE_WORKER.tickOf(id)).isGreaterThan(ceilingA);
            ids.add(id);
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void aRenewalWhoseAcknowledgementWasLostIsResolvedByReading() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long before = a.core.term().lease().ceilingTick();
        clock.advance(1000);
        a.session.plan.add(MemoryLeaseStore.Fault.LOSE_ACK);
        a.wake().deliverOne();
        assertThat(a.core.term().lease().ceilingTick()).as("unknown: not raised yet").isEqualTo(before);
        a.settle();
        assertThat(a.core.term().lease().ceilingTick()).isEqualTo(before + 1000);
        assertThat(a.core.status()).extracting(LeaseStatus::renewalsUnknown, LeaseStatus::renewalsOk).containsExactly(1L, 2L);
        assertThat(a.notices(LeaseCommand.Lost.class)).isEmpty();
    }

    @Test
    void aRenewalThatNeverHappenedIsSentAgainWithoutLosingTheLease() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long before = a.core.term().lease().ceilingTick();
        clock.advance(1000);
        a.session.plan.add(MemoryLeaseStore.Fault.DROP);
        a.wake().settle();
        assertThat(a.core.term().lease().ceilingTick()).isEqualTo(before + 1000);
        assertThat(a.notices(LeaseCommand.Lost.class)).isEmpty();
        assertThat(a.core.status().renewalsUnknown()).isEqualTo(1);
    }

    @Test
    void renewalsWaitWhileSuspendedAndResolveOnReconnect() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        clock.advance(1000);
        a.session.plan.add(MemoryLeaseStore.Fault.LOSE_ACK);
        a.wake();
        a.send(a.holder.onSuspended()).deliverOne();
        assertThat(a.session.results).as("no read while the connection is down").isEmpty();
        assertThat(a.holder.nextWakeNanos()).isEqualTo(Long.MAX_VALUE);
        a.send(a.holder.onReconnected()).settle();
        assertThat(a.core.term().lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
    }

    @Test
    void aClockFarFromTheRegistrysSuspendsMinting() {
        final ManualClock clock = new ManualClock(START.plusSeconds(5));
        final MemoryLeaseStore.Driver a = started("a", clock);
        final LeaseTerm term = a.core.term();
        assertThat(a.core.status().clockOffsetMillis()).isEqualTo(5000);
        assertThat(a.core.status().offsetBeyondBound()).isTrue();
        assertThat(store.record(term.workerId()).ceilingTick()).as("ceiling not raised").isZero();
        assertThat(a.holder.generator()).isNull();
        final SnowflakeGenerator g = new SnowflakeGenerator(LAYOUT, term.lease(), clock, DriftPolicy.DEFAULT);
        assertThatThrownBy(g::nextId).hasMessageContaining(
                "minting is suspended: local clock is 5000 ms off the registry's, beyond the bound of 1000 ms");
        // The clock is corrected: the next renewal measures it and raises the ceiling.
        clock.stepWall(-5000);
        clock.advance(1000);
        leaderClock.advance(1000);
        a.wake().settle();
        assertThat(a.core.status().offsetBeyondBound()).isFalse();
        assertThat(a.holder.nextWakeNanos()).as("held-back renewal redone at once").isEqualTo(clock.monotonicNanos());
        a.wake().settle();
        assertThat(term.lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
    }

    @Test
    void releaseLowersTheCeilingToTheLastMintedTickAndFreesTheWorker() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final LeaseTerm term = a.core.term();
        final SnowflakeGenerator g = a.holder.generator();
        final long id = g.nextId();
        clock.advance(50);
        a.send(a.holder.release()).settle();
        assertThat(g.isSealed()).isTrue();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.ceilingTick()).isEqualTo(LAYOUT.tickOf(id)));
        assertThat(store.record(term.workerId()).ceilingTick()).isEqualTo(LAYOUT.tickOf(id));
        assertThat(store.owned(term.workerId())).isFalse();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.CLOSED);

        final LeaseTerm next = started("b", clock).core.term();
        assertThat(next.workerId()).isEqualTo(term.workerId());
        assertThat(next.floorTick()).isEqualTo(LAYOUT.tickOf(id));
    }

    @Test
    void releaseWaitsForARenewalInFlight() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        clock.advance(1000);
        final long id = a.holder.generator().nextId();
        a.wake(); // renewal in flight
        a.send(a.holder.release()).settle();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.recordLowered()).isTrue());
        assertThat(store.record(a.core.term().workerId()).ceilingTick()).isEqualTo(LAYOUT.tickOf(id));
    }

    @Test
    void prefersAWorkerWhoseCeilingIsPastOverANewOne() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long worker = a.core.term().workerId();
        a.send(a.holder.release()).settle();
        clock.advance(10);
        assertThat(started("b", clock).core.term().workerId()).isEqualTo(worker);
    }

    /** Regression: a forward wall-clock jump raised the record's ceiling before the offset check saw it. */
    @Test
    void aForwardClockJumpDoesNotCarryTheCeilingAhead() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long before = a.core.term().lease().ceilingTick();
        clock.stepWall(3_600_000);
        clock.advance(1000);
        leaderClock.advance(1000);
        a.wake().settle();
        final long recorded = store.record(a.core.term().workerId()).ceilingTick();
        assertThat(recorded).as("advanced by monotonic time only").isBetween(before + 1000, before + 1001);
        assertThat(a.core.status().offsetBeyondBound()).isTrue();
        assertThat(a.core.term().lease().ceilingTick()).as("suspended").isEqualTo(a.core.term().floorTick());
    }

    /** Regression: a claim whose outcome stayed unknown was abandoned, leaking the worker. */
    @Test
    void aClaimWhoseOutcomeStaysUnknownIsResolvedLater() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock, LAYOUT);
        a.session.plan.addAll(List.of(MemoryLeaseStore.Fault.NONE, MemoryLeaseStore.Fault.NONE, // cluster: read, create
                MemoryLeaseStore.Fault.NONE, MemoryLeaseStore.Fault.NONE, // listing, record created
                MemoryLeaseStore.Fault.LOSE_ACK, // the claim is applied, its acknowledgement lost
                MemoryLeaseStore.Fault.LOSE_ACK)); // and the resolving read fails too
        a.start().settle();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.RESOLVING_CLAIM);
        clock.advance(500);
        a.wake().settle();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        assertThat(store.record(a.core.term().workerId()).holder()).isEqualTo(a.core.holder());
        assertThat(a.core.status().acquisitions()).isEqualTo(1);
    }

    /** Regression: a release whose lowering write failed deleted the next holder's owner. */
    @Test
    void aReleaseThatCouldNotLowerTheCeilingLeavesTheOwnerAlone() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock, ONE_WORKER);
        store.expire(a.session);
        final MemoryLeaseStore.Driver b = started("b", clock, ONE_WORKER);
        a.session.expired = false;
        a.send(a.holder.release()).settle();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.recordLowered()).isFalse());
        assertThat(store.owned(0)).as("b's owner").isTrue();
        assertThat(store.record(0).holder()).isEqualTo(b.core.holder());
    }

    /** Regression: a release asked while a renewal was in doubt never finished. */
    @Test
    void aReleaseWaitingOnARenewalInDoubtFinishesAtTheNextWake() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        clock.advance(1000);
        a.session.plan.addAll(List.of(MemoryLeaseStore.Fault.LOSE_ACK, MemoryLeaseStore.Fault.LOSE_ACK));
        a.wake().deliverOne(); // renewal: unknown; resolving read sent
        a.deliverOne(); // the read fails: still in doubt
        a.send(a.holder.release());
        assertThat(a.holder.nextWakeNanos()).isNotEqualTo(Long.MAX_VALUE);
        clock.advance(500);
        a.wake().settle();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.recordLowered()).isTrue());
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.CLOSED);
    }

    @Test
    void rejectsBadConfiguration() {
        final ManualClock clock = new ManualClock(START);
        final ClusterPolicy c = ClusterPolicy.firstStart("c");
        assertThatThrownBy(() -> new LeaseCore(LAYOUT, 0, "a", clock, random, Duration.ofMillis(10),
                Duration.ofSeconds(1), Duration.ofSeconds(1), c))
                .hasMessage("lease window must be at least 30 ms and 3 ticks (3 ms): 10 ms");
        assertThatThrownBy(() -> new LeaseCore(LAYOUT, 1, "a", clock, random, WINDOW, Duration.ofSeconds(1),
                Duration.ofSeconds(1), c))
                .hasMessage("datacenterId must be in [0, 0]: 1");
        assertThatThrownBy(() -> new LeaseCore(LAYOUT, 0, "a b", clock, random, WINDOW, Duration.ofSeconds(1),
                Duration.ofSeconds(1), c))
                .hasMessage("holder name must be 1 to 183 of [A-Za-z0-9._:@-]: 'a b'");
    }

    @Test
    void recordsRoundTripAndRejectGarbage() {
        final WorkerRecord r = new WorkerRecord(3, "host-1:42@x", 123456789L, -77);
        assertThat(WorkerRecord.fromBytes(r.toBytes())).isEqualTo(r);
        assertThat(WorkerRecord.fromBytes("{\"holderEpoch\":2,\"holder\":\"h\",\"ceilingTick\":9}".getBytes()))
                .as("a record from before write tokens").isEqualTo(new WorkerRecord(2, "h", 9, 0));
        assertThatThrownBy(() -> WorkerRecord.fromBytes("{}".getBytes())).hasMessage("not a worker record: '{}'");
        final ClusterRecord c = ClusterRecord.create(LAYOUT, random, 42);
        assertThat(ClusterRecord.fromBytes(c.toBytes())).isEqualTo(c);
        assertThat(ClusterRecord.fromBytes(("{\"bits\":\"41/0/10/12\",\"tickMillis\":1,\"epochMillis\":"
                + LAYOUT.epochMillis() + ",\"clusterId\":\"abc-1\"}").getBytes()))
                .as("a record from before cluster floors").isEqualTo(new ClusterRecord(LAYOUT, "abc-1", 0));
    }
}
