package io.flakeproof.registry;

import static io.flakeproof.registry.ZooKeeperFixture.assertDistinct;
import static io.flakeproof.registry.ZooKeeperFixture.await;
import static io.flakeproof.registry.ZooKeeperFixture.client;
import static io.flakeproof.registry.ZooKeeperFixture.lease;
import static io.flakeproof.registry.ZooKeeperFixture.mint;
import static io.flakeproof.registry.ZooKeeperFixture.mintUntilRefused;
import static io.flakeproof.registry.ZooKeeperFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.Clock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.SystemClock;
import io.flakeproof.generator.lease.LeaseCommand;
import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease on a real single ZooKeeper server: acquisition, expiry, outage, unknown outcomes, release. */
class CuratorLeaseTest {

    /** One worker per datacenter: every new holder must take the previous holder's worker. */
    private static final BitLayout ONE_WORKER = new BitLayout(41, 0, 0, 22, 1, BitLayout.DEFAULT_EPOCH.toEpochMilli());
    private static final BitLayout SNOWFLAKE = BitLayout.snowflake();

    @TempDir
    File dir;

    private TestingServer server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(ZooKeeperFixture.loopbackSpec(new File(dir, "zk")), true);
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        server.close();
    }

    private CuratorFramework newClient() {
        final CuratorFramework c = client(server.getConnectString());
        toClose.add(c);
        return c;
    }

    private <T extends AutoCloseable> T closing(T t) {
        toClose.add(t);
        return t;
    }

    @Test
    void twoHoldersGetDifferentWorkersAndMintDistinctIds() {
        final CuratorLease a = closing(lease(newClient(), SNOWFLAKE, "c1", "a"));
        final CuratorLease b = closing(lease(newClient(), SNOWFLAKE, "c1", "b"));
        assertThat(a.status().workerId()).isNotEqualTo(b.status().workerId());
        final List<Long> ids = new ArrayList<>(mint(a.generator(), 10_000));
        ids.addAll(mint(b.generator(), 10_000));
        assertDistinct(ids);
    }

    @Test
    void holdersExhaustTheTenBitPoolAndTheNextGetsAClearError() {
        final CuratorFramework shared = newClient();
        final List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            final CuratorLease lease = closing(lease(shared, SNOWFLAKE, "pool", "h" + i));
            ids.add(lease.generator().nextId());
        }
        assertThatThrownBy(() -> lease(shared, SNOWFLAKE, "pool", "h1024"))
                .isInstanceOf(LeaseUnavailableException.class)
                .hasMessage("worker pool exhausted: datacenter 0 has 1024 of 1024 workers held");
        assertThat(ids.stream().map(SNOWFLAKE::workerOf).distinct()).hasSize(1024);
        assertDistinct(ids);
    }

    @Test
    void afterServerSideExpiryTheNextHolderMintsAboveTheOldCeilingAndTheOldOneStopsAtIt() throws Exception {
        final CuratorFramework clientA = newClient();
        final CuratorLease a = lease(clientA, ONE_WORKER, "c1", "a");
        final SnowflakeGenerator genA = a.generator();
        final List<Long> ids = new ArrayList<>(mint(genA, 1000));
        await("A's first renewal", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 1);

        // A's session ends on the server; A is also cut off, so it cannot take the worker back.
        ZooKeeperFixture.expireSessionOnServer(clientA);
        final long ceilingA = genA.lease().ceilingTick();
        clientA.close();
        final long expiredAt = System.nanoTime();

        // FAIL refuses any wait for the clock: B's floor (A's ceiling, up to a window ahead of the
        // clock) must be behind the clock before B's generator goes into service.
        final CuratorLease b = closing(CuratorLease.start(newClient(), ONE_WORKER,
                settings("c1", "b").withDriftPolicy(DriftPolicy.fail()), SystemClock.INSTANCE));
        final long tookOverMs = (System.nanoTime() - expiredAt) / 1_000_000;
        assertThat(b.status().workerId()).isEqualTo(a.status().workerId());
        assertThat(b.generator().lease().floorTick()).isGreaterThanOrEqualTo(ceilingA);
        assertThat(ONE_WORKER.tickAt(SystemClock.INSTANCE.wallMillis())).isGreaterThan(b.generator().lease().floorTick());
        assertThat(b.pendingReason()).isEmpty();
        assertThat(b.status().holderEpoch()).isEqualTo(2);

        // A goes on minting up to its acknowledged ceiling, then refuses; B mints only above it.
        final MintRefusedException refused = mintUntilRefused(genA, ids, Duration.ofSeconds(5));
        assertThat(refused.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED);
        assertThat(ids.stream().mapToLong(ONE_WORKER::tickOf).max().orElseThrow()).isLessThanOrEqualTo(ceilingA);
        final List<Long> fromB = mint(b.generator(), 1000);
        assertThat(fromB).allSatisfy(id -> assertThat(ONE_WORKER.tickOf(id)).isGreaterThan(ceilingA));
        ids.addAll(fromB);
        assertDistinct(ids);
        System.out.printf("expiry: B minting %d ms after A was cut off; A minted %d IDs up to tick %d%n",
                tookOverMs, ids.size() - fromB.size(), ceilingA);
    }

    @Test
    void aHolderWhoseSessionExpiresWhileConnectedTakesANewTermAboveItsOldCeiling() throws Exception {
        final CuratorFramework clientA = newClient();
        final CuratorLease a = closing(CuratorLease.start(clientA, ONE_WORKER,
                settings("c1", "a").withDriftPolicy(DriftPolicy.fail()), SystemClock.INSTANCE));
        final SnowflakeGenerator first = a.generator();
        final List<Long> ids = new ArrayList<>(mint(first, 1000));
        await("first renewal", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 1);
        ZooKeeperFixture.expireSessionOnServer(clientA);
        await("a new term", Duration.ofSeconds(10), () -> a.generator() != first);
        final long ceiling = first.lease().ceilingTick();
        assertThat(a.lostTerms()).isEqualTo(1);
        assertThat(a.status().holderEpoch()).isEqualTo(2);
        assertThat(a.generator().lease().floorTick()).isGreaterThanOrEqualTo(ceiling);
        assertThat(first.isSealed()).isTrue();
        ids.addAll(mint(a.generator(), 1000));
        assertDistinct(ids);
    }

    @Test
    void zooKeeperDownLongerThanTheSessionServesUpToTheCeilingThenReacquires() throws Exception {
        final CuratorLease a = closing(lease(newClient(), SNOWFLAKE, "c1", "a"));
        final SnowflakeGenerator first = a.generator();
        final List<Long> ids = new ArrayList<>(mint(first, 1000));
        await("first renewal", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 1);

        server.stop();
        final long stoppedAt = System.nanoTime();
        final MintRefusedException refused = mintUntilRefused(first, ids, Duration.ofSeconds(5));
        final long servedMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        assertThat(refused.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED);
        await("the session judged lost", Duration.ofSeconds(5), () -> a.lostTerms() == 1);

        server.restart();
        final long restartedAt = System.nanoTime();
        await("a new term after restart", Duration.ofSeconds(15), () -> a.generator() != first);
        final long reacquiredMs = (System.nanoTime() - restartedAt) / 1_000_000;
        assertThat(a.status().holderEpoch()).isGreaterThanOrEqualTo(1);
        await("the new term's first renewal", Duration.ofSeconds(5),
                () -> a.generator().lease().ceilingTick() > a.generator().lease().floorTick());
        ids.addAll(mint(a.generator(), 1000));
        assertDistinct(ids);
        System.out.printf("outage: served %d ms after ZooKeeper stopped, then refused; new term %d ms after restart%n",
                servedMs, reacquiredMs);
    }

    @Test
    void aRenewalWhoseAcknowledgementIsLostIsResolvedWithoutLosingTheLease() throws Exception {
        final AtomicInteger writes = new AtomicInteger();
        final FaultyLeaseStore.Faults loseSecondWriteAck = new FaultyLeaseStore.Faults() {
            @Override
            public StoreResult result(LeaseCommand.StoreOp op, StoreResult actual) {
                if (op instanceof LeaseCommand.Write && writes.incrementAndGet() == 2) {
                    assertThat(actual.kind()).isEqualTo(StoreResult.Kind.OK);
                    return StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, "injected: acknowledgement lost");
                }
                return actual;
            }
        };
        final CuratorLease a = closing(CuratorLease.start(newClient(), SNOWFLAKE, settings("c1", "a"),
                SystemClock.INSTANCE, FaultyLeaseStore.injecting(loseSecondWriteAck, new AtomicReference<>())));
        await("the second renewal, resolved", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 2);
        assertThat(a.status().renewalsUnknown()).isEqualTo(1);
        assertThat(a.lostTerms()).isZero();
        assertThat(a.status().phase()).isEqualTo(LeaseCore.Phase.HELD);
        assertThat(a.generator().lease().ceilingTick()).isEqualTo(a.status().ackedCeilingTick());
    }

    @Test
    void aRenewalDroppedInFlightIsSentAgainWithoutLosingTheLease() throws Exception {
        final AtomicInteger writes = new AtomicInteger();
        final FaultyLeaseStore.Faults dropSecondWrite = new FaultyLeaseStore.Faults() {
            @Override
            public boolean send(LeaseCommand.StoreOp op) {
                return !(op instanceof LeaseCommand.Write && writes.incrementAndGet() == 2);
            }
        };
        final CuratorLease a = closing(CuratorLease.start(newClient(), SNOWFLAKE, settings("c1", "a"),
                SystemClock.INSTANCE, FaultyLeaseStore.injecting(dropSecondWrite, new AtomicReference<>())));
        await("a renewal after the dropped one", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 2);
        assertThat(a.status().renewalsUnknown()).isEqualTo(1);
        assertThat(a.lostTerms()).isZero();
        assertThat(a.status().holderEpoch()).isEqualTo(1);
    }

    @Test
    void aRestartedHolderWhoseClockSteppedBackMintsOnlyAboveTheRecordsCeiling() throws Exception {
        final CuratorFramework clientA = newClient();
        final CuratorLease a = lease(clientA, ONE_WORKER, "c1", "a");
        final List<Long> ids = new ArrayList<>(mint(a.generator(), 1000));
        await("first renewal", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 1);
        final long ceiling = a.status().ackedCeilingTick();
        clientA.close(); // a crash: no release, the session ends and the owner goes with it

        // The restarted process's clock reads 800 ms behind (within the offset bound).
        final Clock stepped = shiftedClock(-800);
        final CuratorLease restarted = closing(lease(newClient(), ONE_WORKER,
                settings("c1", "a-restarted").withDriftPolicy(DriftPolicy.fail()), stepped));
        assertThat(restarted.generator().lease().floorTick()).isEqualTo(ceiling);
        await("the restarted holder's first renewal", Duration.ofSeconds(5),
                () -> restarted.status().renewalsOk() >= 1);
        final List<Long> after = mint(restarted.generator(), 1000);
        assertThat(after).allSatisfy(id -> assertThat(ONE_WORKER.tickOf(id)).isGreaterThan(ceiling));
        ids.addAll(after);
        assertDistinct(ids);
    }

    @Test
    void gracefulReleaseFreesTheWorkerAtOnceWithItsFloorAtTheLastMintedTick() throws Exception {
        final CuratorFramework shared = newClient();
        final CuratorLease a = lease(shared, ONE_WORKER, "c1", "a");
        final List<Long> ids = new ArrayList<>(mint(a.generator(), 1000));
        final long lastTick = ONE_WORKER.tickOf(ids.get(ids.size() - 1));
        a.close();
        assertThatThrownBy(() -> a.generator().nextId()).isInstanceOfSatisfying(MintRefusedException.class,
                e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.LEASE_NOT_HELD));
        final WorkerRecord record = WorkerRecord.fromBytes(
                shared.getData().forPath(new RegistryPaths("c1").worker(0, 0)));
        assertThat(record.ceilingTick()).isEqualTo(lastTick);
        assertThat(shared.checkExists().forPath(new RegistryPaths("c1").owner(0, 0))).isNull();

        final CuratorLease b = closing(lease(newClient(), ONE_WORKER, "c1", "b"));
        assertThat(b.generator().lease().floorTick()).isEqualTo(lastTick);
        await("B's first renewal", Duration.ofSeconds(5), () -> b.status().renewalsOk() >= 1);
        ids.addAll(mint(b.generator(), 1000));
        assertDistinct(ids);
    }

    /**
     * Regression (duplicates): a term granted just before close() was put into service after the
     * release had lowered its record, so it could mint above the next holder's floor.
     */
    @Test
    void aTermGrantedWhileClosingNeverMints() throws Exception {
        final AtomicInteger claims = new AtomicInteger();
        final AtomicInteger writesAfterSecondClaim = new AtomicInteger();
        final FaultyLeaseStore.Faults slowFirstRenewalOfTheSecondTerm = new FaultyLeaseStore.Faults() {
            @Override
            public boolean hold(LeaseCommand.StoreOp op) {
                if (op instanceof LeaseCommand.Claim) {
                    claims.incrementAndGet();
                }
                return op instanceof LeaseCommand.Write && claims.get() == 2
                        && writesAfterSecondClaim.incrementAndGet() == 1;
            }
        };
        final CuratorFramework clientA = newClient();
        final AtomicReference<FaultyLeaseStore> faulty = new AtomicReference<>();
        final CuratorLease a = CuratorLease.start(clientA, ONE_WORKER, settings("c1", "a"), SystemClock.INSTANCE,
                FaultyLeaseStore.injecting(slowFirstRenewalOfTheSecondTerm, faulty));
        final SnowflakeGenerator first = a.generator();
        final List<Long> ids = new ArrayList<>(mint(first, 100));
        ZooKeeperFixture.expireSessionOnServer(clientA);
        await("the second term's first renewal, held in flight", Duration.ofSeconds(10),
                () -> faulty.get().heldCount() == 1);

        final Thread closing = new Thread(a::close);
        closing.start();
        await("the release waiting on the renewal", Duration.ofSeconds(5),
                () -> a.status().phase() == LeaseCore.Phase.RELEASING);
        faulty.get().deliverHeld(); // the renewal is acknowledged while the release is under way
        closing.join(10_000);

        assertThat(a.generator()).as("no new generator after close").isSameAs(first);
        assertThat(first.isSealed()).isTrue();
        assertThatThrownBy(() -> a.generator().nextId()).isInstanceOfSatisfying(MintRefusedException.class,
                e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.LEASE_NOT_HELD));
        final long lowered = WorkerRecord.fromBytes(newClient().getData().forPath(new RegistryPaths("c1").worker(0, 0)))
                .ceilingTick();
        final CuratorLease b = closing(lease(newClient(), ONE_WORKER, "c1", "b"));
        assertThat(b.generator().lease().floorTick()).isEqualTo(lowered);
        await("B's first renewal", Duration.ofSeconds(5), () -> b.status().renewalsOk() >= 1);
        ids.addAll(mint(b.generator(), 1000));
        assertDistinct(ids);
    }

    @Test
    void aNodeWithAnotherLayoutRefusesToStartShowingBoth() {
        closing(lease(newClient(), SNOWFLAKE, "c1", "a"));
        assertThatThrownBy(() -> lease(newClient(), BitLayout.preset("snowflake-dc"), "c1", "b"))
                .isInstanceOf(LeaseUnavailableException.class)
                .hasMessage("cluster 'c1' uses layout 41/0/10/12 with 1 ms ticks from 2025-01-01T00:00:00Z; this node "
                        + "is configured with 41/5/5/12 with 1 ms ticks from 2025-01-01T00:00:00Z: two layouts in one "
                        + "fleet can collide, so this node refuses to start");
        assertThatThrownBy(() -> lease(newClient(), BitLayout.parse("snowflake", null, "2024-01-01T00:00:00Z"), "c1", "b"))
                .hasMessageContaining("this node is configured with 41/0/10/12 with 1 ms ticks from 2024-01-01T00:00:00Z");
    }

    /** Finding 3: a claim of a new record carried no modification time, so a clock an hour ahead burnt the worker. */
    @Test
    void aClockAnHourAheadOnAFreshRegistryDoesNotBurnTheWorker() throws Exception {
        final Clock ahead = shiftedClock(3_600_000);
        assertThatThrownBy(() -> lease(newClient(), ONE_WORKER,
                settings("c1", "a").withStartupTimeout(Duration.ofSeconds(3)), ahead))
                .isInstanceOf(LeaseUnavailableException.class);
        final WorkerRecord record = WorkerRecord.fromBytes(newClient().getData()
                .forPath(new RegistryPaths("c1").worker(0, 0)));
        assertThat(record.ceilingTick()).as("the record's ceiling against the true clock")
                .isLessThan(ONE_WORKER.tickAt(SystemClock.INSTANCE.wallMillis()) + ZooKeeperFixture.WINDOW.toMillis() + 1000);
    }

    /** Finding 2: a node restarted against a wiped ensemble joined it silently, at floor 0. */
    @Test
    void aNodePointedAtAWipedEnsembleRefusesUntilToldNewCluster() throws Exception {
        final LeaseSettings kept = settings("c1", "a").withClusterIdIn(dir.toPath());
        final CuratorLease first = lease(newClient(), ONE_WORKER, kept, SystemClock.INSTANCE);
        final String id = first.status().clusterId();
        assertThat(java.nio.file.Files.readString(kept.clusterIdFile()).strip()).isEqualTo(id);
        first.close();
        newClient().delete().deletingChildrenIfNeeded().forPath(new RegistryPaths("c1").root());

        assertThatThrownBy(() -> lease(newClient(), ONE_WORKER, kept, SystemClock.INSTANCE))
                .isInstanceOf(LeaseUnavailableException.class)
                .hasMessageStartingWith("the registry has no record of cluster 'c1', but this node joined cluster id "
                        + id + ":")
                .hasMessageContaining("start the node with --new-cluster");
        assertThat(newClient().checkExists().forPath(new RegistryPaths("c1").layout())).as("nothing created").isNull();

        final long before = ONE_WORKER.tickAt(SystemClock.INSTANCE.wallMillis());
        final CuratorLease recreated = closing(lease(newClient(), ONE_WORKER, kept.withNewCluster(true)
                .withDriftPolicy(DriftPolicy.fail()), SystemClock.INSTANCE));
        assertThat(recreated.status().clusterId()).isNotEqualTo(id);
        assertThat(java.nio.file.Files.readString(kept.clusterIdFile()).strip()).isEqualTo(recreated.status().clusterId());
        assertThat(recreated.generator().lease().floorTick()).as("past the clock + window + offset bound")
                .isGreaterThanOrEqualTo(before + ZooKeeperFixture.WINDOW.toMillis() + 1000);
    }

    private static Clock shiftedClock(long millis) {
        return new Clock() {
            @Override
            public long wallMillis() {
                return SystemClock.INSTANCE.wallMillis() + millis;
            }

            @Override
            public long monotonicNanos() {
                return SystemClock.INSTANCE.monotonicNanos();
            }

            @Override
            public void pause(long nanos) {
                SystemClock.INSTANCE.pause(nanos);
            }
        };
    }
}
