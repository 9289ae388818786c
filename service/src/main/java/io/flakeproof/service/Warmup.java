package io.flakeproof.service;

import io.flakeproof.generator.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's warm-up: before it says it is ready, the node sends its own HTTP server the requests its
 * clients will send (single IDs, batches, ranges, octet-stream, health, metrics) over real loopback
 * connections, so that the JIT has compiled the whole request path, sockets and event loop
 * included, before the first client request. The IDs it mints are real IDs of the node's leased
 * worker, and nobody ever receives them: minting them into the void cannot make anything collide,
 * and it costs a few tenths of a percent of one second of the worker's sequence.
 *
 * <p>It is bounded twice: it stops after {@link #SINGLE_IDS} single-ID requests (with a batch, a
 * range request and an octet-stream request every {@link #MIX_EVERY}, and health and metrics now and
 * then), or when {@code budget} has passed, whichever comes first. A connection that fails ends the
 * warm-up early; the node serves regardless (the warm-up only ever makes it faster).
 */
final class Warmup {

    /**
     * Single-ID requests sent. C2 compiles a method after about 10,000-15,000 invocations with tiered
     * compilation; this is several times that, on every connection's path.
     */
    static final int SINGLE_IDS = 60_000;
    /** One of each other kind of request after this many single IDs. */
    static final int MIX_EVERY = 20;
    private static final int CONNECTIONS = 2;

    private static final String[] MIX = {
        "POST /ids?count=1000 HTTP/1.1\r\nHost: warmup\r\nContent-Length: 0\r\n\r\n",
        "POST /ids/ranges?count=5000 HTTP/1.1\r\nHost: warmup\r\nContent-Length: 0\r\n\r\n",
        "POST /ids?count=10 HTTP/1.1\r\nHost: warmup\r\nAccept: application/octet-stream\r\nContent-Length: 0\r\n\r\n",
        "POST /ids?count=3&format=string HTTP/1.1\r\nHost: warmup\r\nContent-Length: 0\r\n\r\n",
        "GET /health HTTP/1.1\r\nHost: warmup\r\n\r\n",
    };
    private static final byte[] SINGLE = ascii("POST /ids?count=1 HTTP/1.1\r\nHost: warmup\r\nContent-Length: 0\r\n\r\n");
    private static final byte[] METRICS = ascii("GET /metrics HTTP/1.1\r\nHost: warmup\r\n\r\n");

    /** What a warm-up did. */
    record Result(long requests, Duration took, boolean completed, String problem) {

        /** One line for the node's log. */
        String describe() {
            return String.format("warmed up with %,d requests in %.1f s%s", requests, took.toMillis() / 1000.0,
                    completed ? "" : problem.isEmpty() ? " (stopped at its time bound)" : " (stopped: " + problem + ")");
        }
    }

    private Warmup() {
    }

    /**
     * Warms up the server at {@code address}; returns when done, at the latest about {@code budget}
     * after it began.
     */
    static Result run(InetSocketAddress address, Duration budget, Clock clock) {
        final long start = clock.monotonicNanos();
        final long deadline = start + budget.toNanos();
        final AtomicLong sent = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        final String[] problems = new String[CONNECTIONS];
        final boolean[] completed = new boolean[CONNECTIONS];
        for (int c = 0; c < CONNECTIONS; c++) {
            final int connection = c;
            final Thread thread = new Thread(() -> {
                try {
                    completed[connection] = warmOneConnection(address, SINGLE_IDS / CONNECTIONS, deadline, clock, sent);
                    problems[connection] = "";
                } catch (IOException e) {
                    problems[connection] = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }, "flakeproof-warmup-" + c);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            joinUninterruptibly(thread);
        }
        boolean all = true;
        String problem = "";
        for (int c = 0; c < CONNECTIONS; c++) {
            all &= completed[c];
            if (problem.isEmpty() && problems[c] != null && !problems[c].isEmpty()) {
                problem = problems[c];
            }
        }
        return new Result(sent.get(), Duration.ofNanos(clock.monotonicNanos() - start), all, problem);
    }

    /** @return whether it sent all its requests before the deadline */
    private static boolean warmOneConnection(InetSocketAddress address, int singles, long deadline, Clock clock,
            AtomicLong sent) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(address, 5_000);
            socket.setSoTimeout(5_000);
            final OutputStream out = socket.getOutputStream();
            final Answers answers = new Answers(socket.getInputStream());
            for (int i = 1; i <= singles; i++) {
                if (clock.monotonicNanos() >= deadline) {
                    return false;
                }
                exchange(out, answers, SINGLE);
                sent.incrementAndGet();
                if (i % MIX_EVERY == 0) {
                    exchange(out, answers, ascii(MIX[(i / MIX_EVERY) % MIX.length]));
                    sent.incrementAndGet();
                }
                if (i % (MIX_EVERY * 50) == 0) {
                    exchange(out, answers, METRICS);
                    sent.incrementAndGet();
                }
            }
            return true;
        }
    }

    private static void exchange(OutputStream out, Answers answers, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        answers.skipOne();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the node's answers off one keep-alive connection: the status line and headers, then
     * exactly Content-Length bytes of body (the node always sends one). Anything else is an error.
     */
    private static final class Answers {

        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        Answers(InputStream in) {
            this.in = in;
        }

        void skipOne() throws IOException {
            long length = -1;
            boolean first = true;
            while (true) {
                final String line = line();
                if (first) {
                    if (!line.startsWith("HTTP/1.1 ")) {
                        throw new IOException("not an HTTP/1.1 answer: " + line);
                    }
                    first = false;
                } else if (line.isEmpty()) {
                    break;
                } else if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            if (length < 0) {
                throw new IOException("an answer without Content-Length");
            }
            while (length > 0) {
                if (start == end) {
                    fill();
                }
                final int skipped = (int) Math.min(length, end - start);
                start += skipped;
                length -= skipped;
            }
        }

        private String line() throws IOException {
            final StringBuilder line = new StringBuilder();
            while (true) {
                if (start == end) {
                    fill();
                }
                final byte b = buffer[start++];
                if (b == '\n') {
                    final int n = line.length();
                    return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
                }
                line.append((char) b);
            }
        }

        private void fill() throws IOException {
            start = 0;
            end = in.read(buffer);
            if (end <= 0) {
                end = 0;
                throw new IOException("the node closed the connection");
            }
        }
    }
}
