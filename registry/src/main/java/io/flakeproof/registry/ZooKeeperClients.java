package io.flakeproof.registry;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;

/** Curator clients as the lease needs them. */
public final class ZooKeeperClients {

    /** The default ZooKeeper session timeout: a node whose process dies frees its worker after this long. */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

    private ZooKeeperClients() {
    }

    /**
     * A started client that never retries an operation by itself: the lease core owns retries, and a
     * silently re-sent versioned write would be misread (see {@link CuratorLeaseStore}).
     *
     * @param connectString  {@code host:port,host:port,...}
     * @param sessionTimeout the session timeout to ask for (the server clamps it to 2..20 ticks)
     */
    public static CuratorFramework start(String connectString, Duration sessionTimeout) {
        final CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs((int) Math.min(sessionTimeout.toMillis(), 15_000))
                .retryPolicy(new RetryNTimes(0, 0))
                .build();
        client.start();
        return client;
    }
}
