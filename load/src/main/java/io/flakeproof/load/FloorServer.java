package io.flakeproof.load;

import io.flakeproof.generator.SystemClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A trivial server that answers every request with a fixed, well-formed {@code {"ids":[...]}} of
 * the plan's count, so that the load generator can measure its own floor (the harness, the loopback
 * and the two shared cores) at the node's rate, connections and duration, in the same run. It is
 * nginx (one worker, {@code return 200}) when an nginx binary is found, or else {@link FloorNode},
 * a one-event-loop Netty server in a JVM of its own. Either runs as a child process, stopped on
 * {@link #close}.
 */
final class FloorServer implements AutoCloseable {

    /** Which trivial server to run. */
    enum Kind {
        /** nginx if one is installed, else Netty. */
        AUTO,
        NGINX,
        NETTY;

        static Kind parse(String text) {
            for (Kind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("baseline must be auto, nginx or netty: '" + text + "'");
        }
    }

    /** An ID as long as the node's (18-19 digits), so that the floor's answers are as big as the node's. */
    private static final String ID = "251667139973349376";
    private static final long START_TIMEOUT_MILLIS = 20_000;
    private static final List<Path> NGINX_PLACES = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/local/sbin/nginx"),
            Path.of("/usr/local/nginx/sbin/nginx"));

    private final Process process;
    private final int port;
    private final String description;
    private final Path workDir;

    /** Stops a server the caller runs ({@link #runBy}); null for a child process. */
    private final Runnable stop;

    private FloorServer(Process process, int port, String description, Path workDir) {
        this(process, port, description, workDir, null);
    }

    private FloorServer(Process process, int port, String description, Path workDir, Runnable stop) {
        this.process = process;
        this.port = port;
        this.description = description;
        this.workDir = workDir;
        this.stop = stop;
    }

    /**
     * A floor that the caller runs and {@code stop} stops, on {@code port}: for tests that need a floor
     * of known speed (a slow one, so that the node is judged over it).
     */
    static FloorServer runBy(int port, String description, Runnable stop) {
        return new FloorServer(null, port, description, null, stop);
    }

    /** The fixed answer to a request for {@code count} IDs. */
    static String body(int count) {
        final StringBuilder body = new StringBuilder(10 + count * (ID.length() + 1)).append("{\"ids\":[");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",").append(ID);
        }
        return body.append("]}").toString();
    }

    /**
     * Starts the floor server of {@code kind} for answers of {@code count} IDs, on a free loopback port.
     *
     * @throws IOException when it cannot start (nginx asked for and missing, a child that did not listen)
     */
    static FloorServer start(Kind kind, int count) throws IOException {
        final Optional<Path> nginx = findNginx();
        if (kind == Kind.NGINX && nginx.isEmpty()) {
            throw new IOException("--baseline nginx: no nginx binary on the PATH or in " + NGINX_PLACES);
        }
        if (kind != Kind.NETTY && nginx.isPresent()) {
            return startNginx(nginx.get(), count, FloorServer::freePort);
        }
        return startNetty(count);
    }

    int port() {
        return port;
    }

    /** What the floor server is, for the summary: {@code nginx (1 worker)} or {@code netty (1 event loop)}. */
    String description() {
        return description;
    }

    @Override
    public void close() {
        if (stop != null) {
            stop.run();
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (workDir != null) {
            deleteTree(workDir);
        }
    }

    private static Optional<Path> findNginx() {
        final String path = System.getenv("PATH");
        final List<Path> places = new ArrayList<>();
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    places.add(Path.of(dir, "nginx"));
                }
            }
        }
        places.addAll(NGINX_PLACES);
        return places.stream().filter(Files::isExecutable).findFirst();
    }

    /** Where nginx's ports come from: {@link #freePort}, or a test's. */
    @FunctionalInterface
    interface Ports {
        int next() throws IOException;
    }

    /** How many ports nginx is started on before giving up, when another process took each first. */
    static final int NGINX_PORT_TRIES = 3;

    /**
     * nginx on a port from {@code ports}: free when picked, but nginx binds it a moment later, when
     * another process may have it. Then nginx exits ("still could not bind()"), and it is started
     * again on another port, at most {@value #NGINX_PORT_TRIES} times in all.
     */
    static FloorServer startNginx(Path nginx, int count, Ports ports) throws IOException {
        for (int tried = 1; ; tried++) {
            try {
                return startNginxOn(nginx, count, ports.next());
            } catch (IOException e) {
                if (tried == NGINX_PORT_TRIES || !portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    /** Whether nginx exited for want of its port: its last words, {@code still could not bind()}. */
    private static boolean portTaken(IOException e) {
        return e.getMessage() != null && (e.getMessage().contains("could not bind()") || e.getMessage().contains("Address already in use"));
    }

    private static FloorServer startNginxOn(Path nginx, int count, int port) throws IOException {
        final Path dir = Files.createTempDirectory("flakeproof-floor-");
        final Path body = dir.resolve("ids.json");
        Files.writeString(body, body(count), StandardCharsets.US_ASCII);
        // One process (no master), in the foreground, every path inside dir: it needs no root and
        // leaves nothing behind. The answer is a static file of the plan's count, served to any path.
        final String conf = String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " warn;",
                "events { worker_connections 4096; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + dir.resolve("body") + ";",
                "  proxy_temp_path " + dir.resolve("proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("scgi") + ";",
                "  keepalive_requests 100000000;",
                "  keepalive_timeout 300s;",
                "  tcp_nodelay on;",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    root " + dir + ";",
                "    error_page 405 =200 /ids.json;",
                "    location / { default_type application/json; try_files /ids.json =404; }",
                "  }",
                "}",
                "");
        final Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf, StandardCharsets.US_ASCII);
        final Process process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", confFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        final FloorServer server = new FloorServer(process, port, "nginx (" + nginx + ", 1 worker, a static answer)", dir);
        try {
            awaitListening(process, port, dir.resolve("error.log"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static FloorServer startNetty(int count) throws IOException {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Process process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                FloorNode.class.getName(), "0", Integer.toString(count))
                .redirectErrorStream(true)
                .start();
        try {
            final BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            final String line = lines.readLine();
            if (line == null || !line.startsWith("listening on ")) {
                throw new IOException("the Netty floor server did not start: " + line);
            }
            return new FloorServer(process, Integer.parseInt(line.substring("listening on ".length()).trim()),
                    "netty (a JVM of its own, 1 event loop, a fixed answer)", null);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** Waits until the port accepts, or the process died, or {@link #START_TIMEOUT_MILLIS} passed. */
    private static void awaitListening(Process process, int port, Path log) throws IOException {
        final long deadline = SystemClock.INSTANCE.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
        while (SystemClock.INSTANCE.monotonicNanos() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited with " + process.exitValue() + ": " + tail(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while nginx started", e);
                }
            }
        }
        throw new IOException("nginx did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT_MILLIS + " ms: "
                + tail(log));
    }

    private static String tail(Path log) {
        try {
            final List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no log)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
