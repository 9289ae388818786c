package io.flakeproof.registry;

import io.flakeproof.generator.lease.ClusterRecord;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.StoreResult;
import io.flakeproof.generator.lease.WorkerRecord;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * {@link LeaseStore} on ZooKeeper through Curator's background operations. Results are handed to
 * {@code deliver} on {@code executor} (the lease shell's single thread), tagged with their op.
 *
 * <p>The Curator client must not retry operations ({@code RetryNTimes(0, 0)}): a versioned write that
 * Curator silently re-sent after a connection loss would come back {@code BADVERSION} when its first
 * attempt had in fact been applied. The lease core owns retries, and resolves every
 * {@code CONNECTIONLOSS} as an unknown outcome by reading.
 */
final class CuratorLeaseStore implements LeaseStore {

    /** How a shell builds its store: results go to {@code deliver} on {@code executor}. */
    @FunctionalInterface
    interface Factory {
        LeaseStore open(CuratorFramework client, RegistryPaths paths, Executor executor,
                BiConsumer<Long, StoreResult> deliver);
    }

    private final CuratorFramework client;
    private final RegistryPaths paths;
    private final Executor executor;
    private final BiConsumer<Long, StoreResult> deliver;

    CuratorLeaseStore(CuratorFramework client, RegistryPaths paths, Executor executor,
            BiConsumer<Long, StoreResult> deliver) {
        this.client = client;
        this.paths = paths;
        this.executor = executor;
        this.deliver = deliver;
    }

    @Override
    public void readCluster(long op) {
        final String path = paths.layout();
        background(op, () -> client.sync().inBackground((c, synced) -> {
            final KeeperException.Code rs = KeeperException.Code.get(synced.getResultCode());
            if (rs != KeeperException.Code.OK && rs != KeeperException.Code.NONODE) {
                reply(op, StoreResult.ClusterRead.failed(kindOf(rs), "sync of " + path + ": " + rs));
                return;
            }
            background(op, () -> client.getData().inBackground((c2, event) -> {
                final KeeperException.Code rc = KeeperException.Code.get(event.getResultCode());
                if (rc == KeeperException.Code.NONODE) {
                    reply(op, StoreResult.ClusterRead.ok(null));
                } else if (rc != KeeperException.Code.OK) {
                    reply(op, StoreResult.ClusterRead.failed(kindOf(rc), "read of " + path + ": " + rc));
                } else {
                    final ClusterRecord record;
                    try {
                        record = ClusterRecord.fromBytes(event.getData());
                    } catch (IllegalArgumentException e) {
                        reply(op, StoreResult.ClusterRead.failed(StoreResult.Kind.FAILED, path + ": " + e.getMessage()));
                        return;
                    }
                    // A cluster created before markers, or whose marker's creation was cut short, gets it now.
                    ensure(op, paths.clusterMarker(record.clusterId()), () -> reply(op, StoreResult.ClusterRead.ok(record)),
                            StoreResult.ClusterRead::failed);
                }
            }).forPath(path), StoreResult.ClusterRead::failed);
        }).forPath(paths.root()), StoreResult.ClusterRead::failed);
    }

    @Override
    public void createCluster(long op, ClusterRecord record) {
        final String path = paths.layout();
        background(op, () -> client.create().creatingParentsIfNeeded().inBackground((c, event) -> {
            final KeeperException.Code rc = KeeperException.Code.get(event.getResultCode());
            if (rc != KeeperException.Code.OK) {
                reply(op, written(rc, "create of " + path));
                return;
            }
            ensure(op, paths.clusterMarker(record.clusterId()), () -> reply(op, StoreResult.Written.ok(0, 0)),
                    StoreResult.Written::failed);
        }).forPath(path, record.toBytes()), StoreResult.Written::failed);
    }

    @Override
    public void listWorkers(long op, long datacenterId) {
        background(op, () -> client.getChildren().inBackground((c, workers) -> {
            final KeeperException.Code rc = KeeperException.Code.get(workers.getResultCode());
            if (rc != KeeperException.Code.OK && rc != KeeperException.Code.NONODE) {
                reply(op, StoreResult.Listed.failed(kindOf(rc), "listing " + paths.workers(datacenterId) + ": " + rc));
                return;
            }
            final BitSet existing = idsOf(rc == KeeperException.Code.OK ? workers.getChildren() : List.of());
            background(op, () -> client.getChildren().inBackground((c2, owners) -> {
                final KeeperException.Code rc2 = KeeperException.Code.get(owners.getResultCode());
                if (rc2 != KeeperException.Code.OK && rc2 != KeeperException.Code.NONODE) {
                    reply(op, StoreResult.Listed.failed(kindOf(rc2), "listing " + paths.owners(datacenterId) + ": " + rc2));
                    return;
                }
                reply(op, StoreResult.Listed.ok(existing, idsOf(rc2 == KeeperException.Code.OK ? owners.getChildren() : List.of())));
            }).forPath(paths.owners(datacenterId)), StoreResult.Listed::failed);
        }).forPath(paths.workers(datacenterId)), StoreResult.Listed::failed);
    }

    @Override
    public void createRecord(long op, String clusterId, long datacenterId, long workerId, WorkerRecord record) {
        final String path = paths.worker(datacenterId, workerId);
        // The pool's folders first (the claim's transaction needs the owners' one); then the record, fenced
        // by the cluster's marker, so that a wiped registry gets no record at floor 0.
        ensure(op, paths.owners(datacenterId), () -> ensure(op, paths.workers(datacenterId), () -> transaction(op,
                "create of " + path, null, 0, cluster(clusterId),
                client.transactionOp().create().forPath(path, record.toBytes())), StoreResult.Written::failed),
                StoreResult.Written::failed);
    }

    @Override
    public void claim(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
            WorkerRecord record) {
        final String path = paths.worker(datacenterId, workerId);
        background(op, () -> transaction(op, "claim of " + path, path, 0, cluster(clusterId),
                client.transactionOp().setData().withVersion(expectedVersion).forPath(path, record.toBytes()),
                client.transactionOp().create().withMode(CreateMode.EPHEMERAL)
                        .forPath(paths.owner(datacenterId, workerId), record.holder().getBytes(StandardCharsets.UTF_8))),
                StoreResult.Written::failed);
    }

    @Override
    public void write(long op, String clusterId, long datacenterId, long workerId, int expectedVersion,
            WorkerRecord record) {
        final String path = paths.worker(datacenterId, workerId);
        background(op, () -> transaction(op, "write of " + path, path, 0, cluster(clusterId),
                client.transactionOp().setData().withVersion(expectedVersion).forPath(path, record.toBytes())),
                StoreResult.Written::failed);
    }

    @Override
    public void read(long op, long datacenterId, long workerId) {
        final String path = paths.worker(datacenterId, workerId);
        // sync first: the read must reflect every write acknowledged before it, whichever server serves it.
        background(op, () -> client.sync().inBackground((c, synced) -> {
            final KeeperException.Code rs = KeeperException.Code.get(synced.getResultCode());
            if (rs != KeeperException.Code.OK && rs != KeeperException.Code.NONODE) {
                reply(op, StoreResult.Read.failed(kindOf(rs), "sync of " + path + ": " + rs));
                return;
            }
            background(op, () -> client.getData().inBackground((c2, event) -> reply(op, readResult(path, event)))
                    .forPath(path), StoreResult.Read::failed);
        }).forPath(path), StoreResult.Read::failed);
    }

    @Override
    public void deleteOwner(long op, String clusterId, long datacenterId, long workerId, int recordVersion) {
        final String owner = paths.owner(datacenterId, workerId);
        background(op, () -> transaction(op, "delete of " + owner + " at record version " + recordVersion, null,
                recordVersion, cluster(clusterId),
                client.transactionOp().check().withVersion(recordVersion).forPath(paths.worker(datacenterId, workerId)),
                client.transactionOp().delete().forPath(owner)), StoreResult.Written::failed);
    }

    // ---- helpers ----

    /** The check that fences every write: cluster {@code clusterId}'s marker exists. */
    private CuratorOp cluster(String clusterId) throws Exception {
        return client.transactionOp().check().forPath(paths.clusterMarker(clusterId));
    }

    /**
     * Runs {@code ops} as one transaction and replies: OK with the version and modification time of
     * {@code statPath}'s write, or (no {@code statPath}) with {@code okVersion} and no time; otherwise the
     * first failing operation's code.
     */
    private void transaction(long op, String what, String statPath, int okVersion, CuratorOp... ops)
            throws Exception {
        client.transaction().inBackground((c, event) -> {
            final KeeperException.Code rc = KeeperException.Code.get(event.getResultCode());
            if (rc != KeeperException.Code.OK) {
                reply(op, written(rc, what));
                return;
            }
            if (statPath == null) {
                reply(op, StoreResult.Written.ok(okVersion, 0));
                return;
            }
            final Stat stat = statOf(event.getOpResults(), statPath);
            reply(op, stat != null ? StoreResult.Written.ok(stat.getVersion(), stat.getMtime())
                    : StoreResult.Written.failed(StoreResult.Kind.UNKNOWN, what + ": the transaction returned no Stat"));
        }).forOperations(ops);
    }

    /** Creates {@code path} and its parents unless it exists, then runs {@code next}. */
    private void ensure(long op, String path, ThrowingRunnable next, FailedResult failure) {
        background(op, () -> client.create().creatingParentsIfNeeded().inBackground((c, event) -> {
            final KeeperException.Code rc = KeeperException.Code.get(event.getResultCode());
            if (rc == KeeperException.Code.OK || rc == KeeperException.Code.NODEEXISTS) {
                background(op, next, failure);
            } else {
                reply(op, failure.failed(kindOf(rc), "create of " + path + ": " + rc));
            }
        }).forPath(path), failure);
    }

    /** An operation Curator refuses to even start (client closed) fails for certain. */
    private void background(long op, ThrowingRunnable start, FailedResult failure) {
        try {
            start.run();
        } catch (Exception e) {
            reply(op, failure.failed(StoreResult.Kind.FAILED, "could not start: " + e));
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @FunctionalInterface
    private interface FailedResult {
        StoreResult failed(StoreResult.Kind kind, String detail);
    }

    private void reply(long op, StoreResult result) {
        executor.execute(() -> deliver.accept(op, result));
    }

    private static StoreResult readResult(String path, CuratorEvent event) {
        final KeeperException.Code rc = KeeperException.Code.get(event.getResultCode());
        if (rc == KeeperException.Code.NONODE) {
            return StoreResult.Read.absent();
        }
        if (rc != KeeperException.Code.OK) {
            return StoreResult.Read.failed(kindOf(rc), "read of " + path + ": " + rc);
        }
        try {
            return StoreResult.Read.ok(WorkerRecord.fromBytes(event.getData()), event.getStat().getVersion(),
                    event.getStat().getMtime());
        } catch (IllegalArgumentException e) {
            return StoreResult.Read.failed(StoreResult.Kind.FAILED, path + ": " + e.getMessage());
        }
    }

    private static StoreResult.Written written(KeeperException.Code rc, String what) {
        return StoreResult.Written.failed(kindOf(rc), what + ": " + rc);
    }

    /**
     * How a ZooKeeper result code maps onto the core's kinds. A lost connection, a timeout or an
     * expiry reported for an operation in flight leaves its outcome unknown.
     */
    static StoreResult.Kind kindOf(KeeperException.Code rc) {
        switch (rc) {
            case OK:
                return StoreResult.Kind.OK;
            case BADVERSION:
            case NODEEXISTS:
            case NONODE:
                return StoreResult.Kind.CONFLICT;
            case CONNECTIONLOSS:
            case OPERATIONTIMEOUT:
            case REQUESTTIMEOUT:
            case SESSIONEXPIRED:
            case SESSIONMOVED:
                return StoreResult.Kind.UNKNOWN;
            default:
                return StoreResult.Kind.FAILED;
        }
    }

    private static Stat statOf(List<CuratorTransactionResult> results, String path) {
        if (results == null) {
            return null;
        }
        for (CuratorTransactionResult r : results) {
            if (r.getForPath().equals(path) && r.getType() == OperationType.SET_DATA) {
                return r.getResultStat();
            }
        }
        return null;
    }

    private static BitSet idsOf(List<String> children) {
        final BitSet ids = new BitSet();
        for (String child : children) {
            try {
                ids.set(Integer.parseInt(child));
            } catch (NumberFormatException e) {
                // Not a worker node; nothing of ours is named otherwise, so it is ignored.
            }
        }
        return ids;
    }
}
