package io.flakeproof.generator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LeaseStore} returns, as its javadoc states it, run against each store: the
 * in-memory one of the core's tests, ZooKeeper through Curator (registry), the simulator's. A store
 * that differs here would let the core's tests pass on behaviour the real registry does not have.
 */
public abstract class LeaseStoreContract {

    /** One client session on the store under test. */
    protected interface Session {
        LeaseStore store();

        /** The result of operation {@code op}, once it came back. */
        StoreResult await(long op);
    }

    /** A session on a fresh, empty registry (one per test; further calls in a test share that registry). */
    protected abstract Session session();

    /** A session on the registry with cluster {@code ID} created in it. */
    private Session member() {
        final Session s = session();
        if (((StoreResult.ClusterRead) run(s, o -> s.store().readCluster(o))).record() == null) {
            run(s, o -> s.store().createCluster(o, new ClusterRecord(BitLayout.snowflake(), ID, 0)));
        }
        return s;
    }

    /** Ends {@code session} on the server: its owners vanish. */
    protected abstract void expire(Session session);

    private static final String ID = "contract-1";
    private static final WorkerRecord UNCLAIMED = WorkerRecord.unclaimed(5);
    private static final WorkerRecord CLAIMED = new WorkerRecord(1, "h:0000000000000001", 5, 11);
    private long op;

    private StoreResult run(Session s, java.util.function.LongConsumer send) {
        final long tag = ++op;
        send.accept(tag);
        return s.await(tag);
    }

    private static StoreResult.Written written(StoreResult r) {
        return (StoreResult.Written) r;
    }

    @Test
    void theClusterRecordIsAbsentThenCreatedOnceThenRead() {
        final Session s = session();
        assertThat(run(s, o -> s.store().readCluster(o))).isEqualTo(StoreResult.ClusterRead.ok(null));
        final ClusterRecord record = new ClusterRecord(BitLayout.snowflake(), "abc-1", 7);
        assertThat(written(run(s, o -> s.store().createCluster(o, record))))
                .extracting(StoreResult.Written::kind, StoreResult.Written::version, StoreResult.Written::mtimeMillis)
                .containsExactly(StoreResult.Kind.OK, 0, 0L);
        assertThat(run(s, o -> s.store().createCluster(o, record)).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(run(s, o -> s.store().readCluster(o))).isEqualTo(StoreResult.ClusterRead.ok(record));
    }

    @Test
    void aNewRecordIsCreatedOnceWithoutAModificationTimeAndNoOwner() {
        final Session s = member();
        assertThat(run(s, o -> s.store().listWorkers(o, 0)))
                .isEqualTo(StoreResult.Listed.ok(new BitSet(), new BitSet()));
        assertThat(written(run(s, o -> s.store().createRecord(o, ID, 0, 3, UNCLAIMED))))
                .extracting(StoreResult.Written::kind, StoreResult.Written::version, StoreResult.Written::mtimeMillis)
                .containsExactly(StoreResult.Kind.OK, 0, 0L);
        assertThat(run(s, o -> s.store().createRecord(o, ID, 0, 3, UNCLAIMED)).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        final StoreResult.Listed listed = (StoreResult.Listed) run(s, o -> s.store().listWorkers(o, 0));
        assertThat(listed.existing()).isEqualTo(BitSet.valueOf(new long[] {1L << 3}));
        assertThat(listed.owned().isEmpty()).isTrue();
        final StoreResult.Read read = (StoreResult.Read) run(s, o -> s.store().read(o, 0, 3));
        assertThat(read.record()).isEqualTo(UNCLAIMED);
        assertThat(read.version()).isZero();
        assertThat(read.mtimeMillis()).as("a read shows the last write's modification time").isPositive();
    }

    @Test
    void aClaimIsAVersionedWriteAndAnOwnerInOneTransactionAndReturnsAModificationTime() {
        final Session s = member();
        run(s, o -> s.store().createRecord(o, ID, 0, 0, UNCLAIMED));
        assertThat(run(s, o -> s.store().claim(o, ID, 0, 0, 1, CLAIMED)).kind()).as("wrong version")
                .isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(((StoreResult.Listed) run(s, o -> s.store().listWorkers(o, 0))).owned().isEmpty())
                .as("a refused claim creates no owner").isTrue();
        final StoreResult.Written claimed = written(run(s, o -> s.store().claim(o, ID, 0, 0, 0, CLAIMED)));
        assertThat(claimed.kind()).isEqualTo(StoreResult.Kind.OK);
        assertThat(claimed.version()).isEqualTo(1);
        assertThat(claimed.mtimeMillis()).isPositive();
        assertThat(((StoreResult.Listed) run(s, o -> s.store().listWorkers(o, 0))).owned().get(0)).isTrue();
        assertThat(run(s, o -> s.store().claim(o, ID, 0, 0, 1, CLAIMED)).kind()).as("owned")
                .isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(run(s, o -> s.store().claim(o, ID, 0, 9, 0, CLAIMED)).kind()).as("no record")
                .isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(((StoreResult.Read) run(s, o -> s.store().read(o, 0, 0))).record()).isEqualTo(CLAIMED);
    }

    @Test
    void aWriteIsVersionedAndReturnsAModificationTime() {
        final Session s = member();
        run(s, o -> s.store().createRecord(o, ID, 0, 0, UNCLAIMED));
        run(s, o -> s.store().claim(o, ID, 0, 0, 0, CLAIMED));
        final WorkerRecord renewed = new WorkerRecord(1, CLAIMED.holder(), 900, 12);
        final StoreResult.Written ok = written(run(s, o -> s.store().write(o, ID, 0, 0, 1, renewed)));
        assertThat(ok.kind()).isEqualTo(StoreResult.Kind.OK);
        assertThat(ok.version()).isEqualTo(2);
        assertThat(ok.mtimeMillis()).isPositive();
        assertThat(run(s, o -> s.store().write(o, ID, 0, 0, 1, CLAIMED)).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(run(s, o -> s.store().write(o, ID, 0, 7, 0, CLAIMED)).kind()).as("no record")
                .isEqualTo(StoreResult.Kind.CONFLICT);
        final StoreResult.Read read = (StoreResult.Read) run(s, o -> s.store().read(o, 0, 0));
        assertThat(read.record()).isEqualTo(renewed);
        assertThat(read.version()).isEqualTo(2);
    }

    @Test
    void anOwnersDeleteIsGuardedByTheRecordsVersion() {
        final Session s = member();
        run(s, o -> s.store().createRecord(o, ID, 0, 0, UNCLAIMED));
        run(s, o -> s.store().claim(o, ID, 0, 0, 0, CLAIMED));
        assertThat(run(s, o -> s.store().deleteOwner(o, ID, 0, 0, 0)).kind()).as("the record moved on")
                .isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(((StoreResult.Listed) run(s, o -> s.store().listWorkers(o, 0))).owned().get(0)).isTrue();
        assertThat(written(run(s, o -> s.store().deleteOwner(o, ID, 0, 0, 1))))
                .extracting(StoreResult.Written::kind, StoreResult.Written::version)
                .containsExactly(StoreResult.Kind.OK, 1);
        assertThat(((StoreResult.Listed) run(s, o -> s.store().listWorkers(o, 0))).owned().isEmpty()).isTrue();
        assertThat(run(s, o -> s.store().deleteOwner(o, ID, 0, 0, 1)).kind()).as("no owner")
                .isEqualTo(StoreResult.Kind.CONFLICT);
    }

    @Test
    void aSessionsOwnersVanishWhenItExpiresAndTheRecordStays() {
        final Session holder = member();
        run(holder, o -> holder.store().createRecord(o, ID, 0, 0, UNCLAIMED));
        run(holder, o -> holder.store().claim(o, ID, 0, 0, 0, CLAIMED));
        expire(holder);
        final Session other = member();
        final StoreResult.Listed listed = (StoreResult.Listed) run(other, o -> other.store().listWorkers(o, 0));
        assertThat(listed.existing().get(0)).isTrue();
        assertThat(listed.owned().isEmpty()).isTrue();
        assertThat(((StoreResult.Read) run(other, o -> other.store().read(o, 0, 0))).record()).isEqualTo(CLAIMED);
    }

    @Test
    void writesFencedByAClusterThatIsGoneConflictAndChangeNothing() {
        final Session s = member();
        run(s, o -> s.store().createRecord(o, ID, 0, 0, UNCLAIMED));
        run(s, o -> s.store().claim(o, ID, 0, 0, 0, CLAIMED));
        final String other = "another-1";
        assertThat(run(s, o -> s.store().createRecord(o, other, 0, 1, UNCLAIMED)).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(run(s, o -> s.store().write(o, other, 0, 0, 1, UNCLAIMED)).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        assertThat(run(s, o -> s.store().deleteOwner(o, other, 0, 0, 1)).kind()).isEqualTo(StoreResult.Kind.CONFLICT);
        final StoreResult.Read read = (StoreResult.Read) run(s, o -> s.store().read(o, 0, 0));
        assertThat(read.record()).isEqualTo(CLAIMED);
        assertThat(read.version()).isEqualTo(1);
        final StoreResult.Listed listed = (StoreResult.Listed) run(s, o -> s.store().listWorkers(o, 0));
        assertThat(listed.existing().get(1)).as("no record created").isFalse();
        assertThat(listed.owned().get(0)).as("the owner stays").isTrue();
    }

    /** ZooKeeper's own rule, which every store copies: expected version -1 matches any version. */
    @Test
    void versionMinusOneMatchesAnyVersion() {
        final Session s = member();
        run(s, o -> s.store().createRecord(o, ID, 0, 0, UNCLAIMED));
        run(s, o -> s.store().claim(o, ID, 0, 0, 0, CLAIMED));
        run(s, o -> s.store().write(o, ID, 0, 0, 1, CLAIMED));
        assertThat(written(run(s, o -> s.store().write(o, ID, 0, 0, -1, CLAIMED))).version()).isEqualTo(3);
    }
}
