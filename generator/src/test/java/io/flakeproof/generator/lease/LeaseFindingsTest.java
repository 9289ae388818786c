package io.flakeproof.generator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Regression tests for the findings of the lease review (docs/lease-protocol.md, "Reviewed"). */
class LeaseFindingsTest {

    private static final BitLayout ONE_WORKER = new BitLayout(41, 0, 0, 22, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli());
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final MemoryLeaseStore.Fault NONE = MemoryLeaseStore.Fault.NONE;

    private final ManualClock leaderClock = new ManualClock(START);
    private final MemoryLeaseStore store = new MemoryLeaseStore(leaderClock);
    private final Random random = new Random(11);

    private MemoryLeaseStore.Driver node(String holder, ManualClock clock, ClusterPolicy cluster, BitLayout layout) {
        return node(holder, clock, cluster, layout, store);
    }

    private MemoryLeaseStore.Driver node(String holder, ManualClock clock, ClusterPolicy cluster, BitLayout layout,
            MemoryLeaseStore in) {
        final LeaseCore core = new LeaseCore(layout, 0, holder, clock, random, WINDOW, Duration.ofSeconds(1),
                Duration.ofMillis(500), cluster);
        return new MemoryLeaseStore.Driver(new LeaseHolder(layout, core, clock, DriftPolicy.fail()), in.session());
    }

    private MemoryLeaseStore.Driver node(String holder, ManualClock clock) {
        return node(holder, clock, ClusterPolicy.firstStart("c"), ONE_WORKER);
    }

    private static boolean mintable(MemoryLeaseStore.Driver d) {
        return d.holder.generator() != null && d.core.phase() == LeaseCore.Phase.HELD;
    }

    private static LeaseCommand.AcquireFailed lastFailure(MemoryLeaseStore.Driver d) {
        final List<LeaseCommand.AcquireFailed> failures = d.notices(LeaseCommand.AcquireFailed.class);
        assertThat(failures).isNotEmpty();
        return failures.get(failures.size() - 1);
    }

    // ---- finding 1: a shared holder identity ----

    /** Finding 1: two processes configured with the same holder name both held worker 0 over the same ticks. */
    @Test
    void twoProcessesWithTheSameHolderNameNeverHoldOneWorkerTogether() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver first = node("first", clock).start().settle();
        first.send(first.holder.release()).settle(); // the cluster and worker 0 exist, its ceiling in the past
        clock.advance(10);
        leaderClock.advance(10);

        final MemoryLeaseStore.Driver a = node("same", clock).start();
        final MemoryLeaseStore.Driver b = node("same", clock).start();
        a.deliverOne();
        b.deliverOne(); // both joined the cluster and list
        a.deliverOne();
        b.deliverOne(); // both read worker 0 before either claims
        a.deliverOne(); // A claims (applied)
        b.session.plan.add(MemoryLeaseStore.Fault.DROP);
        b.deliverOne(); // B claims: dropped, answered unknown
        b.session.plan.addAll(List.of(NONE, MemoryLeaseStore.Fault.DROP));
        b.deliverOne().deliverOne(); // B's resolving read shows A's claim; were it taken for B's, its renewal is dropped
        a.settle(); // A is granted and its renewal acknowledged
        b.settle();
        assertThat(mintable(a)).isTrue();
        assertThat(mintable(b)).as("B mints on worker 0 beside A").isFalse();
    }

    // ---- finding 2: the registry's identity ----

    private ClusterPolicy joinedBefore(MemoryLeaseStore.Driver d, boolean newCluster) {
        return new ClusterPolicy("c", d.core.cluster().clusterId(), newCluster);
    }

    @Test
    void aRestartedNodeRefusesAWipedRegistryAndSaysWhatToDo() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        final String id = a.core.cluster().clusterId();
        store.wipe();
        final MemoryLeaseStore.Driver restarted = node("a", clock, joinedBefore(a, false), ONE_WORKER).start().settle();
        assertThat(lastFailure(restarted).failure()).isEqualTo(LeaseCommand.Failure.CLUSTER_REFUSED);
        assertThat(lastFailure(restarted).reason()).isEqualTo("the registry has no record of cluster 'c', but this node "
                + "joined cluster id " + id + ": the registry was wiped, rolled back or is another one, and its worker "
                + "records may be behind IDs already minted, so this node refuses to mint. If the registry was "
                + "re-created on purpose, start the node with --new-cluster (its workers then start past anything "
                + "the old registry's holders could still mint)");
        assertThat(store.cluster()).as("nothing created").isNull();
        assertThat(store.record(0)).isNull();
    }

    @Test
    void aRunningNodeWhoseRegistryIsWipedStopsAtItsCeilingAndDoesNotRejoin() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        store.wipe();
        clock.advance(1000);
        leaderClock.advance(1000);
        a.wake().settle(); // the renewal conflicts: the record is gone; the new acquisition refuses
        assertThat(a.notices(LeaseCommand.Lost.class)).hasSize(1);
        assertThat(lastFailure(a).failure()).isEqualTo(LeaseCommand.Failure.CLUSTER_REFUSED);
        clock.advance(500);
        a.wake().settle(); // and keeps refusing
        assertThat(a.notices(LeaseCommand.AcquireFailed.class)).hasSize(2);
        assertThat(store.cluster()).isNull();
        assertThat(store.record(0)).isNull();
    }

    @Test
    void aNodeRefusesAnotherClusterNamingBothIds() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        final MemoryLeaseStore other = new MemoryLeaseStore(leaderClock);
        final MemoryLeaseStore.Driver b = node("b", clock, ClusterPolicy.firstStart("c"), ONE_WORKER, other).start().settle();
        final MemoryLeaseStore.Driver moved = node("a", clock, joinedBefore(a, false), ONE_WORKER, other).start().settle();
        assertThat(lastFailure(moved).reason()).startsWith("the registry's cluster 'c' has id "
                + b.core.cluster().clusterId() + ", but this node joined cluster id " + a.core.cluster().clusterId())
                // --new-cluster adopts the other record as it is: the advice must not promise raised floors.
                .endsWith("start it with --new-cluster: it then adopts the registry's record as it is, and its worker "
                        + "records alone give the floors (nothing minted under cluster id " + a.core.cluster().clusterId()
                        + " is taken into account)")
                .doesNotContain("start past");
    }

    @Test
    void newClusterRecreatesAWipedRegistryWithItsFloorPastTheOldHolders() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        final long oldCeiling = a.core.status().ackedCeilingTick();
        store.wipe();
        final MemoryLeaseStore.Driver recreated = node("a", clock, joinedBefore(a, true), ONE_WORKER).start().settle();
        final long floor = ONE_WORKER.tickAt(clock.wallMillis() + WINDOW.toMillis() + 2 * 1000 + 1000);
        assertThat(recreated.notices(LeaseCommand.ClusterJoined.class)).singleElement().satisfies(j -> {
            assertThat(j.created()).isTrue();
            assertThat(j.record().floorTick()).isEqualTo(floor);
            assertThat(j.record().clusterId()).isNotEqualTo(a.core.cluster().clusterId());
        });
        assertThat(recreated.core.term().floorTick()).isEqualTo(floor).isGreaterThan(oldCeiling);
        // The other nodes of the fleet, told --new-cluster too, adopt it.
        final MemoryLeaseStore.Driver b = node("b", clock, new ClusterPolicy("c", "old-id", true), ONE_WORKER)
                .start().settle();
        assertThat(b.notices(LeaseCommand.ClusterJoined.class)).singleElement()
                .satisfies(j -> assertThat(j.record()).isEqualTo(store.cluster()));
    }

    /** Review: after a wipe and re-creation, an old holder's versioned renewal landed on the new cluster's record. */
    @Test
    void anOldHoldersRenewalCannotLandOnARecreatedClustersRecord() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver old = node("old", clock).start().settle();
        for (int i = 0; i < 3; i++) {
            clock.advance(1000);
            leaderClock.advance(1000);
            old.wake().settle();
        }
        final int oldVersion = store.version(0);
        final long oldCeiling = old.core.term().lease().ceilingTick();
        old.send(old.holder.onSuspended()); // cut off while the registry is wiped and re-created
        store.wipe();
        final MemoryLeaseStore.Driver creator = node("creator", clock, joinedBefore(old, true), ONE_WORKER).start()
                .settle();
        while (store.version(0) < oldVersion) {
            clock.advance(1000);
            leaderClock.advance(1000);
            creator.wake().settle();
        }
        assertThat(store.version(0)).isEqualTo(oldVersion);
        old.send(old.holder.onReconnected()).settle();
        old.wake().settle();
        assertThat(old.notices(LeaseCommand.Lost.class)).hasSize(1);
        assertThat(old.core.term().lease().ceilingTick()).isEqualTo(oldCeiling);
        assertThat(store.record(0).holder()).isEqualTo(creator.core.holder());
        assertThat(creator.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
    }

    @Test
    void aNodeWithAnotherLayoutRefusesShowingBoth() {
        final ManualClock clock = new ManualClock(START);
        node("a", clock).start().settle();
        final MemoryLeaseStore.Driver b = node("b", clock, ClusterPolicy.firstStart("c"), BitLayout.snowflake()).start()
                .settle();
        assertThat(lastFailure(b).reason()).isEqualTo("cluster 'c' uses layout 41/0/0/22 with 1 ms ticks from "
                + "2025-01-01T00:00:00Z; this node is configured with 41/0/10/12 with 1 ms ticks from "
                + "2025-01-01T00:00:00Z: two layouts in one fleet can collide, so this node refuses to start");
    }

    // ---- finding 3: forward jumps ----

    /** Finding 3: a forward jump before a claim resolved by a read carried the record's ceiling an hour ahead. */
    @Test
    void aForwardJumpBeforeAClaimResolvedByReadingDoesNotBurnTheWorker() {
        final ManualClock clock = new ManualClock(START.plusSeconds(3600));
        final MemoryLeaseStore.Driver a = node("a", clock);
        a.session.plan.addAll(List.of(NONE, NONE, NONE, NONE, MemoryLeaseStore.Fault.LOSE_ACK)); // the claim's
        a.start().settle();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        assertThat(store.record(0).ceilingTick()).as("the record's ceiling against the registry's clock")
                .isLessThanOrEqualTo(ONE_WORKER.tickAt(leaderClock.wallMillis()) + WINDOW.toMillis() + 1000);
        assertThat(a.core.status().offsetBeyondBound()).isTrue();
    }

    /** Finding 3: a renewal resolved by a read was trusted as a clock reading, and the next one jumped ahead. */
    @Test
    void aForwardJumpAndALostAcknowledgementDoNotBurnTheWorker() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        clock.stepWall(3_600_000);
        clock.advance(1000);
        leaderClock.advance(1000);
        a.session.plan.add(MemoryLeaseStore.Fault.LOSE_ACK);
        a.wake().settle();
        clock.advance(1000);
        leaderClock.advance(1000);
        a.wake().settle();
        assertThat(store.record(0).ceilingTick()).as("the record's ceiling against the registry's clock")
                .isLessThanOrEqualTo(ONE_WORKER.tickAt(leaderClock.wallMillis()) + WINDOW.toMillis() + 1000);
    }

    /** Finding 3: a claim of a new record carried no modification time, so its first renewal went unchecked. */
    @Test
    void aClaimOfANewRecordGivesAClockReadingBeforeTheFirstRaise() {
        final ManualClock clock = new ManualClock(START.plusSeconds(3600));
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        assertThat(a.core.status().offsetBeyondBound()).isTrue();
        assertThat(store.record(0).ceilingTick()).isZero();
    }

    // ---- finding 4: availability ----

    /** Finding 4: after a VM suspend the ceiling stayed behind the clock for a third of a window. */
    @Test
    void aRenewalCappedByAMonotonicStallIsRedoneAtOnce() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        // A 5 s suspend: the wall clock (corrected on resume) and the registry move on, monotonic time does not.
        clock.stepWall(5000);
        leaderClock.advance(5000);
        clock.advance(1000);
        leaderClock.advance(1000);
        a.wake().settle();
        a.wake().settle();
        assertThat(a.core.term().lease().ceilingTick()).as("minting again at once")
                .isEqualTo(ONE_WORKER.tickAt(clock.wallMillis()) + WINDOW.toMillis());
    }

    /** Review: a claim resolved as not applied deleted the owner of the holder who claimed in between. */
    @Test
    void aClaimResolvedAsNotAppliedLeavesTheNextHoldersOwnerAlone() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver first = node("first", clock).start().settle();
        first.send(first.holder.release()).settle();
        clock.advance(10);
        final MemoryLeaseStore.Driver a = node("a", clock).start();
        a.deliverOne().deliverOne(); // joined and listed: reads worker 0
        a.session.plan.add(MemoryLeaseStore.Fault.DROP);
        a.deliverOne(); // claims: dropped, answered unknown
        a.deliverOne(); // the resolving read is sent: it shows the record unchanged
        final MemoryLeaseStore.Driver b = node("b", clock).start().settle(); // B claims worker 0 meanwhile
        a.settle();
        assertThat(store.owned(0)).as("B's owner").isTrue();
        clock.advance(1000);
        b.wake().settle();
        assertThat(b.notices(LeaseCommand.Lost.class)).isEmpty();
        assertThat(b.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
    }

    /** Review: a claim acknowledged after the session was judged lost left its owner in a session nobody renews. */
    @Test
    void aClaimAcknowledgedAfterTheCoreStoppedWaitingFreesItsOwner() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start();
        for (int i = 0; i < 4; i++) {
            a.deliverOne(); // cluster read and create, listing, record created: the claim is sent (applied)
        }
        // Curator opened a new session before reporting LOST: the claim's answer comes after the loss.
        a.send(a.holder.onSessionLost()).settle();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        assertThat(a.core.term().holderEpoch()).as("the late claim's owner was freed, the worker claimed again")
                .isEqualTo(2);
    }

    /** Review: a term lost to a session Curator had already replaced left its owner alive. */
    @Test
    void aTermLostWithItsOwnerStillAliveFreesTheOwner() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        a.send(a.holder.onSessionLost()).settle();
        assertThat(a.notices(LeaseCommand.Lost.class)).hasSize(1);
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
        assertThat(a.core.term().holderEpoch()).isEqualTo(2);
    }

    /** Finding 4: a guarded delete leaves the owner of a holder who claimed since alone. */
    @Test
    void anOwnersDeleteIsGuardedByTheRecordsVersion() {
        final ManualClock clock = new ManualClock(START);
        final MemoryLeaseStore.Driver a = node("a", clock).start().settle();
        final MemoryLeaseStore.Session session = store.session();
        session.deleteOwner(1, a.core.cluster().clusterId(), 0, 0, 0); // an old version: the record moved on with A's claim and renewal
        assertThat(((StoreResult) session.results.remove()[1]).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(store.owned(0)).isTrue();
        assertThat(a.core.phase()).isEqualTo(LeaseCore.Phase.HELD);
    }
}
