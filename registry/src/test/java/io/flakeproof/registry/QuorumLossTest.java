package io.flakeproof.registry;

import static io.flakeproof.registry.ZooKeeperFixture.assertDistinct;
import static io.flakeproof.registry.ZooKeeperFixture.await;
import static io.flakeproof.registry.ZooKeeperFixture.mint;
import static io.flakeproof.registry.ZooKeeperFixture.mintUntilRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-server ensemble loses its quorum and gets it back. */
class QuorumLossTest {

    @TempDir
    File dir;

    @Test
    void aHolderServesUpToItsCeilingWithoutQuorumAndMintsAgainAfterRecovery() throws Exception {
        final List<InstanceSpec> specs = List.of(
                ZooKeeperFixture.loopbackSpec(new File(dir, "zk1")),
                ZooKeeperFixture.loopbackSpec(new File(dir, "zk2")),
                ZooKeeperFixture.loopbackSpec(new File(dir, "zk3")));
        try (TestingCluster ensemble = new TestingCluster(specs)) {
            ensemble.start();
            try (CuratorFramework client = ZooKeeperFixture.client(ensemble.getConnectString());
                    CuratorLease a = ZooKeeperFixture.lease(client, BitLayout.snowflake(), "q", "a")) {
                final SnowflakeGenerator first = a.generator();
                final List<Long> ids = new ArrayList<>(mint(first, 1000));
                await("first renewal", Duration.ofSeconds(5), () -> a.status().renewalsOk() >= 1);

                final List<TestingZooKeeperServer> servers = ensemble.getServers();
                ensemble.killServer(servers.get(0).getInstanceSpec());
                ensemble.killServer(servers.get(1).getInstanceSpec());
                final long lostAt = System.nanoTime();
                final MintRefusedException refused = mintUntilRefused(first, ids, Duration.ofSeconds(5));
                final long servedMs = (System.nanoTime() - lostAt) / 1_000_000;
                assertThat(refused.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED);

                ensemble.restartServer(servers.get(0).getInstanceSpec());
                ensemble.restartServer(servers.get(1).getInstanceSpec());
                final long backAt = System.nanoTime();
                await("minting again after the quorum is back", Duration.ofSeconds(30), () -> {
                    try {
                        ids.add(a.generator().nextId());
                        return true;
                    } catch (MintRefusedException e) {
                        return false;
                    }
                });
                final long recoveredMs = (System.nanoTime() - backAt) / 1_000_000;
                ids.addAll(mint(a.generator(), 1000));
                assertDistinct(ids);
                System.out.printf("quorum loss: served %d ms without quorum, then refused; minting again %d ms "
                        + "after the quorum was back (lost terms: %d)%n", servedMs, recoveredMs, a.lostTerms());
            }
        }
    }
}
