package io.flakeproof.reports;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server from Debian's package, started for the report in a temporary directory:
 * {@code initdb}, then {@code pg_ctl start} on loopback with a port of its own. PostgreSQL refuses to
 * run as root, so as root the commands run as the {@code postgres} user (through {@code runuser}) and
 * the directory is handed to it.
 */
final class Postgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;
    private final Path log;
    private boolean running;

    private Postgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.log = dir.resolve("server.log");
    }

    /** The newest installed server's bin directory, or null when none is installed. */
    static Path findBin() throws IOException {
        final Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString())))
                    .map(v -> v.resolve("bin")).orElse(null);
        }
    }

    private static int parseVersion(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Creates a cluster in a new temporary directory (not started). */
    static Postgres create(Path bin, String name, Path log) throws IOException, InterruptedException {
        final boolean root = "root".equals(System.getProperty("user.name"));
        final Path dir = Files.createTempDirectory(Path.of("/tmp"), "flakeproof-pg-" + name + "-");
        final Postgres pg = new Postgres(bin, dir, freePort(), root);
        if (root) {
            pg.check(Proc.run(List.of("chown", "postgres:postgres", dir.toString()), dir, log, 30), "chown");
        }
        pg.check(Proc.run(pg.as(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust",
                "-U", "postgres", "--no-sync", "-E", "UTF8"), dir, log, 120), "initdb");
        return pg;
    }

    /** Starts the server with these {@code -c} settings (such as {@code shared_buffers=256MB}). */
    void start(List<String> settings) throws IOException, InterruptedException {
        final StringBuilder o = new StringBuilder("-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1");
        settings.forEach(s -> o.append(" -c ").append(s));
        check(Proc.run(as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-o", o.toString(),
                "-l", log.toString(), "-w", "-t", "60", "start"), dir, dir.resolve("pg_ctl.log"), 90), "pg_ctl start");
        running = true;
    }

    /** Stops the server: {@code immediate} is a crash (no checkpoint, callers cut off at once). */
    void stop(String mode) throws IOException, InterruptedException {
        if (running) {
            running = false;
            check(Proc.run(as(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", mode, "-w",
                    "stop"), dir, dir.resolve("pg_ctl.log"), 90), "pg_ctl stop");
        }
    }

    Connection connect() throws SQLException {
        final Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "30");
        return DriverManager.getConnection(url(), p);
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    private List<String> as(String... command) {
        final List<String> c = new ArrayList<>();
        if (asPostgresUser) {
            c.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        c.addAll(List.of(command));
        return c;
    }

    private void check(int code, String what) throws IOException {
        if (code != 0) {
            String tail = "";
            if (Files.exists(log)) {
                final List<String> lines = Files.readAllLines(log);
                tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            }
            throw new IOException("PostgreSQL " + what + " exited " + code + " (in " + dir + ")\n" + tail);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop("fast");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
