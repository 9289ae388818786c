package io.flakeproof.service;

import io.flakeproof.cli.Bounds;
import io.flakeproof.cli.CommandLines;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.Durations;
import io.flakeproof.generator.SystemClock;
import io.flakeproof.registry.LeaseSettings;
import io.flakeproof.registry.LeaseUnavailableException;
import io.flakeproof.service.http.HttpNodeServer;
import io.flakeproof.service.http.HttpSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code flakeproof serve}: the ID node. Leases a worker from ZooKeeper (the embedded server unless
 * {@code --zookeeper} names an ensemble), serves HTTP until SIGTERM or SIGINT, then stops accepting,
 * finishes the requests in flight, releases the lease and exits 0.
 *
 * <p>Exit codes: 0 after a graceful stop; 1 when the node cannot start (no lease, port taken, data
 * directory unusable), with one line saying why; 2 for bad options.
 */
@Command(name = "serve", description = "Run an ID node: lease a worker ID and serve IDs over HTTP.",
        defaultValueProvider = EnvironmentDefaults.class,
        footer = "Every option can also be set as FLAKEPROOF_<OPTION>, such as FLAKEPROOF_LEASE_WINDOW=30s.")
final class ServeCommand implements Callable<Integer> {

    private static final Duration MAX_WARMUP = Duration.ofMinutes(5);

    @Spec
    private CommandSpec spec;

    @Mixin
    private LayoutOptions layoutOptions;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port; default ${DEFAULT-VALUE}.")
    private int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on; default ${DEFAULT-VALUE}.")
    private String bind;

    @Option(names = "--zookeeper", paramLabel = "HOST:PORT,...",
            description = "A ZooKeeper ensemble; absent: an embedded ZooKeeper with its data under --data-dir.")
    private String zookeeper;

    @Option(names = "--data-dir", defaultValue = "flakeproof-data",
            description = "The embedded ZooKeeper's data, and the id of the cluster this node joined; it must outlive "
                    + "the node. Default ${DEFAULT-VALUE}.")
    private Path dataDir;

    @Option(names = "--zookeeper-port", defaultValue = "2181",
            description = "The embedded ZooKeeper's port on 127.0.0.1 (0: any); default ${DEFAULT-VALUE}.")
    private int zookeeperPort;

    @Option(names = "--cluster", defaultValue = "default", description = "Cluster name; default ${DEFAULT-VALUE}.")
    private String cluster;

    @Option(names = "--datacenter", defaultValue = "0", description = "Datacenter ID; default ${DEFAULT-VALUE}.")
    private long datacenter;

    @Option(names = "--drift-policy", defaultValue = "absorb:5ms:1s",
            description = "fail, wait[:MAXWAIT] or absorb[:TOLERANCE[:MAXWAIT]]; default ${DEFAULT-VALUE}.")
    private String driftPolicy;

    @Option(names = "--lease-window", defaultValue = "10s",
            description = "How long a node cut off from ZooKeeper keeps minting; default ${DEFAULT-VALUE}.")
    private String leaseWindow;

    @Option(names = "--session-timeout", defaultValue = "10s",
            description = "ZooKeeper session timeout: how soon a dead node's worker is free; default ${DEFAULT-VALUE}.")
    private String sessionTimeout;

    @Option(names = "--new-cluster",
            description = "Create the cluster anew, or adopt the registry's, although this node joined another "
                    + "cluster id before (kept under --data-dir): for a registry wiped or re-created on purpose.")
    private boolean newCluster;

    @Option(names = "--max-count", defaultValue = "100000",
            description = "The largest count one request may ask for; default ${DEFAULT-VALUE}.")
    private int maxCount;

    @Option(names = "--max-request-bytes", defaultValue = "65536",
            description = "The largest request body accepted (413 past it); default ${DEFAULT-VALUE}.")
    private int maxRequestBytes;

    @Option(names = "--max-connections", defaultValue = "1024",
            description = "Connections open at once; one more is answered 503 and closed. Default ${DEFAULT-VALUE}.")
    private int maxConnections;

    @Option(names = "--max-pipelined", defaultValue = "16",
            description = "Requests of one connection received and not yet answered before the node stops reading it; "
                    + "default ${DEFAULT-VALUE}.")
    private int maxPipelined;

    @Option(names = "--request-timeout", defaultValue = "10s",
            description = "How long a request may take to arrive whole once it has begun (408 past it); "
                    + "default ${DEFAULT-VALUE}.")
    private String requestTimeout;

    @Option(names = "--idle-timeout", defaultValue = "60s",
            description = "How long a connection may go with nothing read or written before it is closed; "
                    + "default ${DEFAULT-VALUE}.")
    private String idleTimeout;

    @Option(names = "--max-answer-bytes", defaultValue = "268435456",
            description = "Bytes of ID answers the node holds until written to their clients; a request past it gets "
                    + "a 503 and nothing is minted. Default ${DEFAULT-VALUE} (256 MiB).")
    private long maxAnswerBytes;

    @Option(names = "--warmup", defaultValue = "10s",
            description = "Before it says it is ready, the node sends itself the requests clients will send, so that the "
                    + "JIT has compiled their path: at most this long, 0s for none, at most 5m. Meanwhile /health says "
                    + "warming (503). Default ${DEFAULT-VALUE}.")
    private String warmup;

    @Override
    public Integer call() throws InterruptedException {
        final BitLayout layout = layoutOptions.layout();
        final DriftPolicy policy = CommandLines.check(spec, () -> DriftPolicy.parse(driftPolicy));
        final Duration window = CommandLines.check(spec, () -> Durations.parse(leaseWindow));
        final Duration session = CommandLines.check(spec, () -> Durations.parse(sessionTimeout));
        final Duration request = CommandLines.check(spec, () -> Durations.parse(requestTimeout));
        final Duration idle = CommandLines.check(spec, () -> Durations.parse(idleTimeout));
        final Duration warmupBudget = CommandLines.check(spec, () -> Bounds.requireIn("warmup", Durations.parse(warmup),
                Duration.ZERO, MAX_WARMUP, Durations::format));
        final HttpSettings http = CommandLines.check(spec, () -> new HttpSettings(bind, requirePort("port", port),
                maxCount, maxRequestBytes, maxConnections, maxPipelined, request, idle, maxAnswerBytes));
        requirePort("zookeeper-port", zookeeperPort);
        CommandLines.check(spec, () -> {
            layout.requireDatacenter(datacenter);
            return null;
        });
        final LeaseSettings lease = CommandLines.check(spec, () -> LeaseSettings.of(cluster, datacenter,
                LeasedNode.newHolderName()).withWindow(window).withDriftPolicy(policy).withClusterIdIn(dataDir)
                .withNewCluster(newCluster));

        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final LeasedNode node;
        try {
            node = LeasedNode.start(layout, zookeeper, dataDir, zookeeperPort, lease, session, SystemClock.INSTANCE);
        } catch (LeaseUnavailableException | UncheckedIOException e) {
            err.println("flakeproof: cannot start: " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        if (!warmupBudget.isZero()) {
            node.warming("warming up: the node is exercising its own request path before it takes traffic (at most "
                    + Durations.format(warmupBudget) + ")");
        }
        final PrometheusRegistry registry = new PrometheusRegistry();
        NodeMetrics.register(node, registry);
        final HttpNodeServer server;
        try {
            server = HttpNodeServer.start(node, http, registry);
        } catch (RuntimeException e) {
            node.close();
            err.println("flakeproof: " + e.getMessage());
            return ExitCode.SOFTWARE;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        final AtomicBoolean stopping = new AtomicBoolean();
        final Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                server.close();
                node.close();
                stopped.countDown();
            }
        };
        // Handled here rather than by a shutdown hook, so that a graceful stop exits 0, not 143.
        final SignalHandler onSignal = signal -> new Thread(stop, "flakeproof-stop").start();
        Signal.handle(new Signal("TERM"), onSignal);
        Signal.handle(new Signal("INT"), onSignal);
        String warmed = "";
        if (!warmupBudget.isZero()) {
            final Warmup.Result result = Warmup.run(new InetSocketAddress(loopbackFor(bind), server.port()), warmupBudget,
                    SystemClock.INSTANCE);
            node.warming(null);
            warmed = "; " + result.describe();
        }
        // Printed once the handlers are in place: a supervisor that stops the node as soon as it reads this
        // line gets a graceful stop, not the JVM's default exit 143.
        final NodeHealth health = node.health();
        out.printf("flakeproof serving on http://%s:%d as worker %d in datacenter %d (cluster %s, id %s, layout %s); "
                        + "ZooKeeper %s%s%n", bind, server.port(), health.workerId(), health.datacenterId(), cluster,
                health.clusterId(), layout.describe(), node.zookeeperDescription(), warmed);
        out.flush();
        stopped.await();
        out.println("flakeproof stopped: lease released");
        return ExitCode.OK;
    }

    /** Where the node reaches itself: its bind address, or loopback when it binds every address. */
    private static String loopbackFor(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("*") ? "127.0.0.1" : bind;
    }

    private int requirePort(String option, int value) {
        return CommandLines.check(spec, () -> Bounds.requireIn(option, value, 0, 65_535));
    }
}
