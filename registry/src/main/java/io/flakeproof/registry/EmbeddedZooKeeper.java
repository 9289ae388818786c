package io.flakeproof.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-server ZooKeeper running inside this JVM: the registry of a fleet that fits on one
 * machine. A fleet on several machines points its nodes at a real ensemble instead; this class makes
 * no attempt at replication, so it is exactly as available as the process that runs it.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Durability.</b> The data directory holds ZooKeeper's own snapshots and transaction log
 *       ({@code <dataDir>/version-2}); every write is fsynced to the log before it is acknowledged
 *       (ZooKeeper's default {@code forceSync}). After {@link #close()}, or a crash, a new instance
 *       on the same directory serves every acknowledged write again, with the same versions.</li>
 *   <li><b>Sessions are data too.</b> They are part of the snapshot: after a restart the previous
 *       run's sessions, and their ephemeral nodes, live on until a client resumes them or they time
 *       out (at most 20 x tickTime).</li>
 *   <li><b>Loopback only.</b> The client port is bound to {@code 127.0.0.1}; nothing else listens.
 *       There is no admin server (only {@code ZooKeeperServerMain} starts one) and no quorum port.</li>
 *   <li><b>One server per directory.</b> The directory is locked ({@value #LOCK_FILE}) for the life of
 *       the instance, in this JVM and across processes: two servers appending to one log would corrupt
 *       it, and two servers with copies of one registry would hand out the same worker twice.</li>
 *   <li><b>Clean close.</b> {@link #close()} is idempotent; when it returns, the port, the log and
 *       snapshot files, the lock and ZooKeeper's threads are released.</li>
 * </ul>
 *
 * <p>Failures a caller can see: {@link IllegalArgumentException} for a port outside [0, 65535] or a
 * tickTime below 1; {@link IOException} naming the directory when it cannot be created or written;
 * {@link BindException} naming the address when the port is taken; {@link IllegalStateException}
 * naming the directory when another server holds it.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    /** The only address the server listens on. */
    public static final String HOST = "127.0.0.1";

    /** The highest TCP port. */
    private static final int MAX_PORT = 65_535;

    /** Held, with an OS file lock on it, while a server runs on the directory. */
    static final String LOCK_FILE = "embedded-zookeeper.lock";

    /**
     * ZooKeeper caps connections per client address. Every client of this server comes from
     * {@value #HOST}, so the per-address cap is the cap on all clients: room for a one-machine
     * fleet plus tools, well under the file descriptor limits of a default Linux process. (ZooKeeper's
     * total cap, {@code maxCnxns}, is read only from a JVM-wide system property, left alone here; its
     * absence earns one WARN per start.)
     */
    private static final int MAX_CLIENT_CONNECTIONS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final Path dataDir;
    private final int port;
    private final DirectoryLock lock;
    private final FileTxnSnapLog txnLog;
    private final NIOServerCnxnFactory connections;
    /** Flips once, from false to true, in the first {@link #close()}; later calls return at once. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedZooKeeper(Path dataDir, int port, DirectoryLock lock, FileTxnSnapLog txnLog,
                              NIOServerCnxnFactory connections) {
        this.dataDir = dataDir;
        this.port = port;
        this.lock = lock;
        this.txnLog = txnLog;
        this.connections = connections;
    }

    /**
     * Starts a server on {@code dataDir}, creating the directory if needed and recovering whatever
     * an earlier server left in it. Returns once the server accepts clients.
     *
     * @param dataDir    where snapshots and the transaction log live; kept across restarts
     * @param port       the client port on {@value #HOST}, or 0 for a free one (see {@link #port()})
     * @param tickTimeMs ZooKeeper's tick; sessions may last 2 to 20 ticks
     * @return the running server
     * @throws IllegalArgumentException if the port is outside [0, 65535] or the tick is below 1 ms
     * @throws IllegalStateException    if another server runs on {@code dataDir}
     * @throws BindException            if the port is taken, naming {@code 127.0.0.1:<port>}
     * @throws IOException              if {@code dataDir} cannot be created or written, or the stored
     *                                  data cannot be loaded, naming the directory
     */
    public static EmbeddedZooKeeper start(Path dataDir, int port, int tickTimeMs) throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > MAX_PORT) {
            throw new IllegalArgumentException("port must be in [0, " + MAX_PORT + "]: " + port);
        }
        if (tickTimeMs < 1) {
            throw new IllegalArgumentException("tickTimeMs must be at least 1: " + tickTimeMs);
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        DirectoryLock lock = DirectoryLock.acquire(dir);
        FileTxnSnapLog txnLog = null;
        NIOServerCnxnFactory connections = null;
        try {
            txnLog = new FileTxnSnapLog(dir.toFile(), dir.toFile());
            connections = bind(port);
            // Loads the snapshot and replays the log, writes a fresh snapshot, then starts serving.
            connections.startup(new ZooKeeperServer(txnLog, tickTimeMs, null));
            EmbeddedZooKeeper server = new EmbeddedZooKeeper(dir, connections.getLocalPort(), lock, txnLog,
                    connections);
            LOG.info("ZooKeeper started at {} on {}", server.connectString(), dir);
            return server;
        } catch (BindException e) {
            release(connections, txnLog, lock);
            throw e;
        } catch (InterruptedException e) {
            release(connections, txnLog, lock);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting ZooKeeper on " + dir);
        } catch (IOException | RuntimeException e) {
            release(connections, txnLog, lock);
            throw new IOException("cannot start ZooKeeper on " + dir + ": " + e.getMessage(), e);
        }
    }

    private static NIOServerCnxnFactory bind(int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(HOST, port);
        NIOServerCnxnFactory connections = new NIOServerCnxnFactory();
        try {
            connections.configure(address, MAX_CLIENT_CONNECTIONS);
        } catch (BindException e) {
            // The JDK says only "Address already in use"; the caller needs to know which one.
            BindException named = new BindException(
                    "cannot bind ZooKeeper to " + HOST + ":" + port + ": " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        return connections;
    }

    /** The client port actually bound: the requested one, or the one picked for port 0. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}, ready for a ZooKeeper or Curator client. */
    public String connectString() {
        return HOST + ":" + port;
    }

    /** The absolute data directory this server owns. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops serving, drops every connection (clients see a disconnect, not a session expiry), and
     * releases the port, the files and the directory lock. Idempotent.
     *
     * @throws UncheckedIOException if the log or the lock cannot be closed cleanly; the server is
     *                              stopped all the same
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IOException failure = release(connections, txnLog, lock);
        LOG.info("ZooKeeper at {} on {} closed", connectString(), dataDir);
        if (failure != null) {
            throw new UncheckedIOException("closing ZooKeeper on " + dataDir, failure);
        }
    }

    /**
     * Undoes {@link #start}, in reverse order, for whatever part of it has happened (nulls are
     * skipped). Shutting the connection factory down also shuts the server down and joins its threads.
     *
     * @return the first failure to close a file, with any later ones suppressed; null if none
     */
    private static IOException release(NIOServerCnxnFactory connections, FileTxnSnapLog txnLog,
                                       DirectoryLock lock) {
        if (connections != null) {
            connections.shutdown();
        }
        IOException failure = null;
        if (txnLog != null) {
            try {
                txnLog.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    @Override
    public String toString() {
        return "EmbeddedZooKeeper[" + connectString() + ", " + dataDir + (closed.get() ? ", closed" : "") + "]";
    }

    /** An OS lock on {@value #LOCK_FILE} in the data directory, held while a server runs on it. */
    private static final class DirectoryLock {

        private final FileChannel channel;

        private DirectoryLock(FileChannel channel) {
            this.channel = channel;
        }

        /**
         * Creates the directory if needed and locks it; creating the lock file doubles as the check
         * that the directory is writable.
         */
        static DirectoryLock acquire(Path dir) throws IOException {
            FileChannel channel;
            try {
                Files.createDirectories(dir);
                channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new IOException("ZooKeeper data directory " + dir + " cannot be created or written: " + e,
                        e);
            }
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                held = null; // this JVM holds it already
            } catch (IOException e) {
                channel.close();
                throw new IOException("cannot lock ZooKeeper data directory " + dir + ": " + e, e);
            }
            if (held == null) {
                channel.close();
                throw new IllegalStateException("ZooKeeper data directory " + dir
                        + " is in use by another server (" + LOCK_FILE + " is locked)");
            }
            return new DirectoryLock(channel);
        }

        /** Closing the channel releases the lock. */
        void close() throws IOException {
            channel.close();
        }
    }
}
