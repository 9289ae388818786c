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
import org.junit.jupiter.api.Test;

class LeaseCoreTest {

    private static final BitLayout LAYOUT = BitLayout.snowflake();
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    private final ManualClock leaderClock = new ManualClock(START);
    private final MemoryLeaseStore store = new MemoryLeaseStore(leaderClock);

    private MemoryLeaseStore.Driver node(String holder, ManualClock clock, BitLayout layout) {
        final LeaseCore core = new LeaseCore(layout, 0, holder, clock, WINDOW, Duration.ofSeconds(1), Duration.ofMillis(500));
        return new MemoryLeaseStore.Driver(core, store.session());
    }

    private MemoryLeaseStore.Driver started(String holder, ManualClock clock) {
        final MemoryLeaseStore.Driver d = node(holder, clock, LAYOUT);
        return d.send(d.core.start()).settle();
    }

    private static long tick(ManualClock clock) {
        return LAYOUT.tickAt(clock.wallMillis());
    }

    @Test
    void acquiresANewWorkerAndRaisesItsCeilingOnlyWhenTheRenewalIsAcknowledged() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock, LAYOUT);
        a.send(a.core.start());
        a.deliverOne(); // listed
        a.deliverOne(); // claimed: granted, first renewal sent
        final LeaseTerm term = a.notices(LeaseCommand.Granted.class).get(0).term();
        assertThat(term.floorTick()).isZero();
        assertThat(term.holderEpoch()).isEqualTo(1);
        assertThat(term.lease().ceilingTick()).as("nothing mintable before an acknowledged renewal").isZero();
        a.deliverOne(); // renewal acknowledged
        assertThat(term.lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
        assertThat(store.record(term.workerId()).ceilingTick()).isEqualTo(tick(clock) + 3000);
        assertThat(store.owned(term.workerId())).isTrue();
        assertThat(a.core.status().remainingMillis()).isEqualTo(3001);
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
            final MemoryLeaseStore.Driver d = node("n" + i, clock, fourWorkers);
            d.send(d.core.start()).settle();
            assertThat(d.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        }
        final MemoryLeaseStore.Driver fifth = node("n4", clock, fourWorkers);
        fifth.send(fifth.core.start()).settle();
        assertThat(fifth.notices(LeaseCommand.AcquireFailed.class)).extracting(LeaseCommand.AcquireFailed::reason)
                .containsExactly("worker pool exhausted: datacenter 0 has 4 of 4 workers held");
        assertThat(fifth.core.nextWakeNanos()).isEqualTo(clock.monotonicNanos() + Duration.ofMillis(500).toNanos());
    }

    @Test
    void renewsEveryThirdOfTheWindowAndOnlyThen() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long due = a.core.nextWakeNanos();
        assertThat(due - clock.monotonicNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        clock.advance(999);
        assertThat(a.core.onWake()).isEmpty();
        clock.advance(1);
        a.send(a.core.onWake()).settle();
        assertThat(a.core.term().lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
        assertThat(a.core.status().renewalsOk()).isEqualTo(2);
    }

    @Test
    void nextHolderAfterExpiryStartsAboveEveryAcknowledgedCeilingAndTheOldOneStopsAtItsOwn() {
        final BitLayout oneWorker = new BitLayout(41, 0, 0, 22, 1, LAYOUT.epochMillis());
        final ManualClock clockA = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clockA, oneWorker);
        a.send(a.core.start()).settle();
        final LeaseTerm termA = a.core.term();
        final long ceilingA = termA.lease().ceilingTick();
        final SnowflakeGenerator genA = new SnowflakeGenerator(oneWorker, termA.lease(), clockA, DriftPolicy.DEFAULT);
        final List<Long> ids = new ArrayList<>();
        ids.add(genA.nextId());

        store.expire(a.session);
        // B's clock is 900 ms behind A's (within the offset bound): B's floor is A's ceiling regardless.
        final ManualClock clockB = new ManualClock(START.minusMillis(900));
        final MemoryLeaseStore.Driver b = node("b", clockB, oneWorker);
        b.send(b.core.start()).settle();
        final LeaseTerm termB = b.core.term();
        assertThat(termB.workerId()).isEqualTo(termA.workerId());
        assertThat(termB.floorTick()).isEqualTo(ceilingA);
        assertThat(termB.holderEpoch()).isEqualTo(2);
        assertThat(termB.lease().ceilingTick()).as("B's clock + window is below its floor: nothing to mint yet")
                .isEqualTo(ceilingA);

        // A does not know yet; its next renewal is refused and the term is lost, its ceiling unchanged.
        clockA.advance(1000);
        a.session.expired = false; // a new session; the record's version has moved on regardless
        a.send(a.core.onWake()).settle();
        assertThat(a.notices(LeaseCommand.Lost.class)).hasSize(1);
        assertThat(termA.lease().ceilingTick()).isEqualTo(ceilingA);
        assertThat(store.record(termA.workerId()).holder()).isEqualTo("b");

        // A mints up to its ceiling and then refuses; B renews once its clock passed A's ceiling.
        clockA.advance(2000);
        final SnowflakeGenerator genB = new SnowflakeGenerator(oneWorker, termB.lease(), clockB, DriftPolicy.DEFAULT);
        for (int i = 0; i < 5; i++) {
            ids.add(genA.nextId());
        }
        clockA.advance(1);
        assertThatThrownBy(genA::nextId).isInstanceOfSatisfying(MintRefusedException.class,
                e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED));
        clockB.advance(4000);
        leaderClock.advance(4000);
        b.send(b.core.onWake()).settle();
        for (int i = 0; i < 5; i++) {
            final long id = genB.nextId();
            assertThat(oneWorker.tickOf(id)).isGreaterThan(ceilingA);
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
        a.send(a.core.onWake()).deliverOne();
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
        a.send(a.core.onWake()).settle();
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
        a.send(a.core.onWake());
        a.send(a.core.onSuspended()).deliverOne();
        assertThat(a.session.results).as("no read while the connection is down").isEmpty();
        assertThat(a.core.nextWakeNanos()).isEqualTo(Long.MAX_VALUE);
        a.send(a.core.onReconnected()).settle();
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
        final SnowflakeGenerator g = new SnowflakeGenerator(LAYOUT, term.lease(), clock, DriftPolicy.DEFAULT);
        assertThatThrownBy(g::nextId).hasMessageContaining(
                "minting is suspended: local clock is 5000 ms off the registry's, beyond the bound of 1000 ms");
        // The clock is corrected: the next renewal measures it and raises the ceiling.
        clock.stepWall(-5000);
        clock.advance(1000);
        leaderClock.advance(1000);
        a.send(a.core.onWake()).settle();
        assertThat(a.core.status().offsetBeyondBound()).isFalse();
        assertThat(a.core.nextWakeNanos()).as("held-back renewal redone at once").isEqualTo(clock.monotonicNanos());
        a.send(a.core.onWake()).settle();
        assertThat(term.lease().ceilingTick()).isEqualTo(tick(clock) + 3000);
    }

    @Test
    void releaseLowersTheCeilingToTheLastMintedTickAndFreesTheWorker() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final LeaseTerm term = a.core.term();
        final SnowflakeGenerator g = new SnowflakeGenerator(LAYOUT, term.lease(), clock, DriftPolicy.DEFAULT);
        final long id = g.nextId();
        clock.advance(50);
        final long last = g.seal();
        a.send(a.core.release(last)).settle();
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
        a.send(a.core.onWake()); // renewal in flight
        a.send(a.core.release(tick(clock)));
        a.settle();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.recordLowered()).isTrue());
        assertThat(store.record(a.core.term().workerId()).ceilingTick()).isEqualTo(tick(clock));
    }

    @Test
    void prefersAWorkerWhoseCeilingIsPastOverANewOne() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        final long worker = a.core.term().workerId();
        a.send(a.core.release(tick(clock))).settle();
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
        a.send(a.core.onWake()).settle();
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
        a.session.plan.addAll(List.of(MemoryLeaseStore.Fault.NONE, // listing
                MemoryLeaseStore.Fault.LOSE_ACK, // the claim is applied, its acknowledgement lost
                MemoryLeaseStore.Fault.LOSE_ACK)); // and the resolving read fails too
        a.send(a.core.start()).deliverOne().deliverOne().deliverOne();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.RESOLVING_CLAIM);
        clock.advance(500);
        a.send(a.core.onWake()).settle();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        assertThat(store.record(a.core.term().workerId()).holder()).isEqualTo("a");
        assertThat(a.core.status().acquisitions()).isEqualTo(1);
    }

    /** Regression: a release whose lowering write failed deleted the next holder's owner. */
    @Test
    void aReleaseThatCouldNotLowerTheCeilingLeavesTheOwnerAlone() {
        final BitLayout oneWorker = new BitLayout(41, 0, 0, 22, 1, LAYOUT.epochMillis());
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock, oneWorker);
        a.send(a.core.start()).settle();
        store.expire(a.session);
        final MemoryLeaseStore.Driver b = node("b", clock, oneWorker);
        b.send(b.core.start()).settle();
        a.session.expired = false;
        a.send(a.core.release(oneWorker.tickAt(clock.wallMillis()))).settle();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.recordLowered()).isFalse());
        assertThat(store.owned(0)).as("b's owner").isTrue();
        assertThat(store.record(0).holder()).isEqualTo("b");
    }

    /** Regression: a release asked while a renewal was in doubt never finished. */
    @Test
    void aReleaseWaitingOnARenewalInDoubtFinishesAtTheNextWake() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = started("a", clock);
        clock.advance(1000);
        a.session.plan.addAll(List.of(MemoryLeaseStore.Fault.LOSE_ACK, MemoryLeaseStore.Fault.LOSE_ACK));
        a.send(a.core.onWake()).deliverOne(); // renewal: unknown; resolving read sent
        a.deliverOne(); // the read fails: still in doubt
        a.send(a.core.release(tick(clock)));
        assertThat(a.core.nextWakeNanos()).isNotEqualTo(Long.MAX_VALUE);
        clock.advance(500);
        a.send(a.core.onWake()).settle();
        assertThat(a.notices(LeaseCommand.Released.class)).singleElement()
                .satisfies(r -> assertThat(r.recordLowered()).isTrue());
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.CLOSED);
    }

    @Test
    void rejectsBadConfiguration() {
        final ManualClock clock = new ManualClock(START);
        assertThatThrownBy(() -> new LeaseCore(LAYOUT, 0, "a", clock, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("lease window must be at least 30 ms and 3 ticks (3 ms): 10 ms");
        assertThatThrownBy(() -> new LeaseCore(LAYOUT, 1, "a", clock, WINDOW, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("datacenterId must be in [0, 0]: 1");
        assertThatThrownBy(() -> new LeaseCore(LAYOUT, 0, "a b", clock, WINDOW, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessage("holder must be up to 200 of [A-Za-z0-9._:@-]: 'a b'");
    }

    @Test
    void workerRecordsRoundTripAndRejectGarbage() {
        final WorkerRecord r = new WorkerRecord(3, "host-1:42@x", 123456789L);
        assertThat(WorkerRecord.fromBytes(r.toBytes())).isEqualTo(r);
        assertThatThrownBy(() -> WorkerRecord.fromBytes("{}".getBytes())).hasMessage("not a worker record: '{}'");
    }
}
