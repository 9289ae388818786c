package io.flakeproof.reports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The load runs' baseline: a minimal HTTP/1.1 keep-alive server on loopback, one thread per
 * connection, that answers every request with one constant ID, {@code {"ids":[1]}}, in a single
 * write with TCP_NODELAY. It mints nothing and leases nothing, so the latency it shows is the
 * machine, the kernel's loopback and the load generator: what the node adds is the difference.
 */
final class BaselineServer implements AutoCloseable {

    private static final byte[] ANSWER = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
            + "{\"ids\":[1]}").getBytes(StandardCharsets.US_ASCII);
    /** Request heads larger than this are refused by closing the connection. */
    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket server;
    private final Thread acceptor;

    BaselineServer() throws IOException {
        server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "baseline-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                final Socket s = server.accept();
                s.setTcpNoDelay(true);
                final Thread t = new Thread(() -> serve(s), "baseline-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                final long length = readHead(in);
                if (length < 0) {
                    return;
                }
                in.skipNBytes(length);
                out.write(ANSWER);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /** Reads one request head; returns its Content-Length (0 if none), or -1 at the end of the stream. */
    private static long readHead(InputStream in) throws IOException {
        final StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            final int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n'
                    && head.charAt(n - 4) == '\r') {
                long length = 0;
                for (String line : head.toString().split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).strip());
                    }
                }
                return length;
            }
            if (n > MAX_HEAD) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
