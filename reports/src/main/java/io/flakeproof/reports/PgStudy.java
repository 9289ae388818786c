package io.flakeproof.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.f4b6a3.uuid.UuidCreator;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.SystemClock;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;

/**
 * The seed's comparison, measured in a real PostgreSQL: {@code nextval} on one server, the two-server
 * odd/even scheme with one server stopped mid-run (what its callers see), and the B-tree locality
 * claim (the same rows keyed by flakeproof IDs, UUIDv4, UUIDv7 and a sequence, loaded with COPY into
 * a server whose buffers hold the index and into one whose buffers do not).
 *
 * <p>JDBC rather than psql: each caller is a thread whose every call is timed and whose failures
 * arrive as exceptions carrying PostgreSQL's own message, and COPY streams generated rows from memory
 * through the driver's CopyManager, with no temporary files and no process start inside a timing.
 */
final class PgStudy {

    /** Sizes of one run. */
    record Plan(int callers, long nextvalMillis, long oddEvenMillis, int rows, String bigBuffers, String smallBuffers) {
        static Plan quick() {
            return new Plan(4, 2_000, 3_000, 200_000, "256MB", "1MB");
        }

        static Plan full() {
            return new Plan(4, 10_000, 10_000, 2_000_000, "256MB", "8MB");
        }
    }

    private final Plan plan;
    private final ObjectMapper json;
    private final Progress progress;

    PgStudy(Plan plan, ObjectMapper json, Progress progress) {
        this.plan = plan;
        this.json = json;
        this.progress = progress;
    }

    ObjectNode run(Path log) throws Exception {
        final Path bin = Postgres.findBin();
        if (bin == null) {
            throw new IOException("no PostgreSQL server under /usr/lib/postgresql (Debian's postgresql package)");
        }
        final ObjectNode root = json.createObjectNode();
        root.put("server", bin.getParent().getFileName().toString());
        root.put("callers", plan.callers());
        try (Postgres a = Postgres.create(bin, "a", log); Postgres b = Postgres.create(bin, "b", log)) {
            progress.step("PostgreSQL: two servers initialised; starting them");
            a.start(List.of("shared_buffers=" + plan.bigBuffers()));
            b.start(List.of("shared_buffers=" + plan.bigBuffers()));
            try (Connection c = a.connect(); ResultSet r = c.createStatement().executeQuery("SELECT version()")) {
                r.next();
                root.put("version", r.getString(1));
            }
            progress.step("PostgreSQL: nextval on one server, " + plan.callers() + " callers, " + plan.nextvalMillis() + " ms");
            root.set("nextval", nextval(a));
            progress.step("PostgreSQL: odd/even on two servers, one stopped halfway, " + plan.oddEvenMillis() + " ms");
            root.set("odd_even", oddEven(a, b));
            b.start(List.of("shared_buffers=" + plan.smallBuffers()));
            final ArrayNode btree = root.putArray("btree");
            root.put("rows", plan.rows());
            root.put("big_buffers", plan.bigBuffers());
            root.put("small_buffers", plan.smallBuffers());
            for (String key : List.of("flakeproof", "uuidv4", "uuidv7", "sequence")) {
                for (Postgres pg : List.of(a, b)) {
                    final String buffers = pg == a ? plan.bigBuffers() : plan.smallBuffers();
                    progress.step("PostgreSQL: B-tree, " + plan.rows() + " rows keyed by " + key + ", shared_buffers " + buffers);
                    btree.add(load(pg, key).put("key", key).put("shared_buffers", buffers));
                }
            }
        }
        root.set("sortability", sortability());
        return root;
    }

    /** Callers each calling {@code nextval} as fast as they can on one server. */
    private ObjectNode nextval(Postgres pg) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SEQUENCE ids");
        }
        final Calls calls = new Calls(plan.callers(), i -> pg, "SELECT nextval('ids')");
        calls.runFor(plan.nextvalMillis(), null);
        final ObjectNode n = calls.summary(json);
        n.put("in_order_per_caller", calls.inOrderPerCaller());
        return n;
    }

    /** Two servers, odd and even: half the callers on each; one server stopped halfway through. */
    private ObjectNode oddEven(Postgres a, Postgres b) throws Exception {
        for (Postgres pg : List.of(a, b)) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE SEQUENCE odd_even INCREMENT 2 START " + (pg == a ? 1 : 2));
            }
        }
        final Calls calls = new Calls(plan.callers(), i -> i % 2 == 0 ? a : b, "SELECT nextval('odd_even')");
        final long stopAt = plan.oddEvenMillis() / 2;
        calls.runFor(plan.oddEvenMillis(), new Calls.Event(stopAt, () -> {
            try {
                b.stop("immediate");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not stop the second server: " + e.getMessage(), e);
            }
        }));
        final ObjectNode n = calls.summary(json);
        n.put("stopped_server", "even (the second)");
        n.put("stopped_at_ms", stopAt);
        n.put("duplicates", calls.duplicates());
        return n;
    }

    /** COPY of {@code rows} rows keyed by {@code key} into a new table; its time, index size and buffer traffic. */
    private ObjectNode load(Postgres pg, String key) throws Exception {
        final int rows = plan.rows();
        final String table = "t_" + key;
        final String ddl = key.equals("sequence") ? "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int"
                : key.equals("flakeproof") ? "id bigint PRIMARY KEY, v int" : "id uuid PRIMARY KEY, v int";
        final String[] keys = new String[rows];
        if (key.equals("flakeproof")) {
            final SnowflakeGenerator g = SnowflakeGenerator.embedded(BitLayout.snowflake(), 0, 1);
            for (int i = 0; i < rows; i++) {
                keys[i] = Long.toString(g.nextId());
            }
        } else if (key.equals("uuidv4")) {
            for (int i = 0; i < rows; i++) {
                keys[i] = UUID.randomUUID().toString();
            }
        } else if (key.equals("uuidv7")) {
            for (int i = 0; i < rows; i++) {
                keys[i] = UuidCreator.getTimeOrderedEpoch().toString();
            }
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (" + ddl + ")");
            s.execute("SELECT pg_stat_reset()");
            final String copy = key.equals("sequence") ? "COPY " + table + " (v) FROM STDIN" : "COPY " + table + " FROM STDIN";
            final long started = SystemClock.INSTANCE.monotonicNanos();
            final long copied = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI()
                    .copyIn(copy, new RowsReader(keys, rows));
            final double seconds = (SystemClock.INSTANCE.monotonicNanos() - started) / 1e9;
            s.execute("SELECT pg_stat_force_next_flush()");
            final ObjectNode n = json.createObjectNode().put("rows", copied).put("load_s", seconds);
            try (ResultSet r = s.executeQuery("SELECT pg_indexes_size('" + table + "'), pg_relation_size('" + table + "')")) {
                r.next();
                n.put("index_bytes", r.getLong(1)).put("table_bytes", r.getLong(2));
            }
            try (ResultSet r = s.executeQuery("SELECT coalesce(sum(idx_blks_read),0), coalesce(sum(idx_blks_hit),0) "
                    + "FROM pg_statio_user_indexes WHERE relname = '" + table + "'")) {
                r.next();
                n.put("index_blocks_read", r.getLong(1)).put("index_blocks_hit", r.getLong(2));
            }
            s.execute("DROP TABLE " + table);
            s.execute("CHECKPOINT");
            return n;
        }
    }

    /** The share of consecutive values in increasing order, per kind of ID, over 100,000 values. */
    private ObjectNode sortability() {
        final int n = 100_000;
        final ObjectNode o = json.createObjectNode();
        final SnowflakeGenerator g = SnowflakeGenerator.embedded(BitLayout.snowflake(), 0, 1);
        long inOrder = 0;
        long prev = g.nextId();
        for (int i = 1; i < n; i++) {
            final long x = g.nextId();
            inOrder += x > prev ? 1 : 0;
            prev = x;
        }
        o.put("flakeproof", (double) inOrder / (n - 1));
        inOrder = 0;
        UUID p = UUID.randomUUID();
        for (int i = 1; i < n; i++) {
            final UUID x = UUID.randomUUID();
            inOrder += compareUnsigned(x, p) > 0 ? 1 : 0;
            p = x;
        }
        o.put("uuidv4", (double) inOrder / (n - 1));
        return o;
    }

    /** UUIDs as PostgreSQL and B-trees order them: unsigned, byte by byte. */
    private static int compareUnsigned(UUID a, UUID b) {
        final int hi = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return hi != 0 ? hi : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** COPY text rows "key\tv" (or "v" for the sequence), generated as the driver reads. */
    private static final class RowsReader extends Reader {
        private final String[] keys;
        private final int rows;
        private int row;
        private String pending = "";
        private int at;

        RowsReader(String[] keys, int rows) {
            this.keys = keys;
            this.rows = rows;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            int n = 0;
            while (n < len) {
                if (at == pending.length()) {
                    if (row == rows) {
                        return n == 0 ? -1 : n;
                    }
                    pending = (keys[row] == null ? "" : keys[row] + "\t") + row + "\n";
                    row++;
                    at = 0;
                }
                final int take = Math.min(len - n, pending.length() - at);
                pending.getChars(at, at + take, buf, off + n);
                at += take;
                n += take;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Caller threads, each on its own connection, calling one statement back to back and timing each
     * call; a failed call is counted with its message and retried on a new connection 100 ms later.
     */
    private static final class Calls {
        record Event(long atMillis, Runnable action) {
        }

        private final int callers;
        private final IntFunction<Postgres> serverOf;
        private final String sql;
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final long[][] latencies;
        private final int[] counts;
        private final long[][] values;
        /** Per 100 ms bucket and caller: calls answered. */
        private final Map<Integer, long[]> perBucket = new ConcurrentHashMap<>();
        private final Map<String, Long> errors = new ConcurrentHashMap<>();
        private final Map<Integer, Long> firstErrorAfterMs = new ConcurrentHashMap<>();
        private long elapsedNanos;

        Calls(int callers, IntFunction<Postgres> serverOf, String sql) {
            this.callers = callers;
            this.serverOf = serverOf;
            this.sql = sql;
            this.latencies = new long[callers][1 << 20];
            this.counts = new int[callers];
            this.values = new long[callers][1 << 20];
        }

        void runFor(long millis, Event event) throws InterruptedException {
            final long start = SystemClock.INSTANCE.monotonicNanos();
            final long end = start + millis * 1_000_000;
            final CountDownLatch done = new CountDownLatch(callers);
            for (int i = 0; i < callers; i++) {
                final int caller = i;
                final Thread t = new Thread(() -> {
                    try {
                        call(caller, start, end);
                    } finally {
                        done.countDown();
                    }
                }, "pg-caller-" + i);
                t.setDaemon(true);
                t.start();
            }
            if (event != null) {
                final long at = start + event.atMillis() * 1_000_000;
                while (SystemClock.INSTANCE.monotonicNanos() < at) {
                    Thread.sleep(10);
                }
                event.action().run();
            }
            done.await();
            elapsedNanos = SystemClock.INSTANCE.monotonicNanos() - start;
        }

        private void call(int caller, long start, long end) {
            Connection c = null;
            PreparedStatement ps = null;
            while (SystemClock.INSTANCE.monotonicNanos() < end) {
                try {
                    if (c == null) {
                        c = serverOf.apply(caller).connect();
                        ps = c.prepareStatement(sql);
                    }
                    final long before = SystemClock.INSTANCE.monotonicNanos();
                    final long v;
                    try (ResultSet r = ps.executeQuery()) {
                        r.next();
                        v = r.getLong(1);
                    }
                    final long after = SystemClock.INSTANCE.monotonicNanos();
                    ok.incrementAndGet();
                    if (counts[caller] < latencies[caller].length) {
                        latencies[caller][counts[caller]] = after - before;
                        values[caller][counts[caller]] = v;
                        counts[caller]++;
                    }
                    perBucket.computeIfAbsent((int) ((after - start) / 100_000_000), k -> new long[callers])[caller]++;
                } catch (SQLException e) {
                    failed.incrementAndGet();
                    final String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                    errors.merge(m, 1L, Long::sum);
                    firstErrorAfterMs.putIfAbsent(caller, (SystemClock.INSTANCE.monotonicNanos() - start) / 1_000_000);
                    close(c);
                    c = null;
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            close(c);
        }

        private static void close(Connection c) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the server is gone; nothing to release
                }
            }
        }

        ObjectNode summary(ObjectMapper json) {
            final ObjectNode n = json.createObjectNode();
            n.put("seconds", elapsedNanos / 1e9);
            n.put("calls", ok.get());
            n.put("failed", failed.get());
            n.put("calls_per_s", ok.get() / (elapsedNanos / 1e9));
            final List<Long> merged = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                for (int k = 0; k < counts[i]; k++) {
                    merged.add(latencies[i][k]);
                }
            }
            merged.sort(null);
            if (!merged.isEmpty()) {
                n.put("p50_ms", merged.get((int) (merged.size() * 0.50)) / 1e6);
                n.put("p99_ms", merged.get((int) Math.min(merged.size() - 1, merged.size() * 0.99)) / 1e6);
                n.put("max_ms", merged.get(merged.size() - 1) / 1e6);
            }
            final ObjectNode errs = n.putObject("errors");
            new TreeMap<>(errors).forEach(errs::put);
            final ObjectNode first = n.putObject("first_error_after_ms_by_caller");
            new TreeMap<>(firstErrorAfterMs).forEach((k, v) -> first.put("caller " + k, v));
            final ArrayNode buckets = n.putArray("calls_per_100ms_by_caller");
            new TreeMap<>(perBucket).forEach((k, v) -> {
                final ArrayNode row = buckets.addArray();
                row.add(k * 100);
                for (long x : v) {
                    row.add(x);
                }
            });
            return n;
        }

        boolean inOrderPerCaller() {
            for (int i = 0; i < callers; i++) {
                for (int k = 1; k < counts[i]; k++) {
                    if (values[i][k] <= values[i][k - 1]) {
                        return false;
                    }
                }
            }
            return true;
        }

        long duplicates() {
            final long[] all = new long[Arrays.stream(counts).sum()];
            int at = 0;
            for (int i = 0; i < callers; i++) {
                System.arraycopy(values[i], 0, all, at, counts[i]);
                at += counts[i];
            }
            Arrays.sort(all);
            long d = 0;
            for (int i = 1; i < all.length; i++) {
                d += all[i] == all[i - 1] ? 1 : 0;
            }
            return d;
        }
    }
}
