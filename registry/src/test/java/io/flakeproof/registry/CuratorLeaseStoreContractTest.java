package io.flakeproof.registry;

import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.LeaseStoreContract;
import io.flakeproof.generator.lease.StoreResult;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The ZooKeeper store meets the store contract, on a real curator-test server. */
class CuratorLeaseStoreContractTest extends LeaseStoreContract {

    @TempDir
    File dir;

    private TestingServer server;
    private final List<CuratorFramework> clients = new ArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @BeforeEach
    void startServer() throws Exception {
        server = new TestingServer(ZooKeeperFixture.loopbackSpec(new File(dir, "zk")), true);
    }

    @AfterEach
    void stopAll() throws Exception {
        clients.forEach(CuratorFramework::close);
        executor.shutdownNow();
        server.close();
    }

    private record CuratorSession(CuratorFramework client, LeaseStore store,
            Map<Long, CompletableFuture<StoreResult>> results) implements Session {
        @Override
        public StoreResult await(long op) {
            try {
                return results.computeIfAbsent(op, k -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("no result for op " + op + ": " + e, e);
            }
        }
    }

    @Override
    protected Session session() {
        final CuratorFramework client = ZooKeeperFixture.client(server.getConnectString());
        clients.add(client);
        final Map<Long, CompletableFuture<StoreResult>> results = new ConcurrentHashMap<>();
        final LeaseStore store = new CuratorLeaseStore(client, new RegistryPaths("contract"), executor,
                (op, result) -> results.computeIfAbsent(op, k -> new CompletableFuture<>()).complete(result));
        try {
            client.blockUntilConnected(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new CuratorSession(client, store, results);
    }

    @Override
    protected void expire(Session session) {
        try {
            ZooKeeperFixture.expireSessionOnServer(((CuratorSession) session).client());
        } catch (Exception e) {
            throw new AssertionError("could not expire the session: " + e, e);
        }
    }
}
