package io.flakeproof.service.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client connection that speaks raw bytes, as a clumsy or hostile client would: it writes
 * whatever it is given, may half-close, and reads answers strictly (a status line, headers, exactly
 * {@code Content-Length} bytes), so that anything but well-formed HTTP/1.1 fails the read.
 * Every read waits at most {@link #READ_TIMEOUT_MILLIS}.
 */
final class RawConnection implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 10_000;

    private static final Pattern CONTINUE = Pattern.compile("HTTP/1\\.1 100 [^\\r\\n]*");

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [^\\r\\n]*");

    private final Socket socket;
    private final InputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        // Buffered: an answer's head is read byte by byte, which would otherwise be a system call per byte.
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    static RawConnection open(int port) {
        return open(port, -1);
    }

    /** A connection whose receive buffer is about {@code receiveBuffer} bytes (-1: the system's). */
    static RawConnection open(int port, int receiveBuffer) {
        try {
            final Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return new RawConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RawConnection send(String raw) {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] raw) {
        try {
            socket.getOutputStream().write(raw);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Half-closes: no more bytes from this side ({@code shutdown(SHUT_WR)}); answers can still come. */
    RawConnection halfClose() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * The next final answer; null when the node closed the connection cleanly before one began. An
     * interim {@code 100 Continue} (no headers of its own, no body) is skipped.
     */
    Answer read() {
        return read(true);
    }

    /**
     * As {@link #read()}, with the body skipped unread (the answer's body is empty): for a client that
     * only takes answers off the connection, so that its reading costs as little as it can.
     */
    Answer readSkippingBody() {
        return read(false);
    }

    private Answer read(boolean keepBody) {
        try {
            String head = readHead();
            while (head != null && CONTINUE.matcher(head).matches()) {
                head = readHead();
            }
            if (head == null) {
                return null;
            }
            final String[] lines = head.split("\r\n");
            final Matcher status = STATUS_LINE.matcher(lines[0]);
            if (!status.matches()) {
                throw new AssertionError("not an HTTP/1.1 status line: '" + lines[0] + "'");
            }
            final Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                final int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    throw new AssertionError("not a header line: '" + lines[i] + "'");
                }
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            final String length = headers.get("content-length");
            if (length == null) {
                throw new AssertionError("an answer without Content-Length: " + head);
            }
            final int bodyLength = Integer.parseInt(length);
            final byte[] body = keepBody ? in.readNBytes(bodyLength) : new byte[0];
            if (keepBody && body.length != bodyLength) {
                throw new AssertionError("closed after " + body.length + " of " + length + " body bytes");
            }
            if (!keepBody) {
                try {
                    in.skipNBytes(bodyLength);
                } catch (EOFException e) {
                    throw new AssertionError("closed before the " + length + " body bytes", e);
                }
            }
            return new Answer(Integer.parseInt(status.group(1)), headers, body);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + READ_TIMEOUT_MILLIS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every answer until the node closes the connection. */
    List<Answer> readUntilClosed() {
        final List<Answer> answers = new ArrayList<>();
        for (Answer answer = read(); answer != null; answer = read()) {
            answers.add(answer);
        }
        return answers;
    }

    /** Whether the node has closed the connection: the next read ends the stream (within the read timeout). */
    boolean closedByNode() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) { // a reset is a close too
            return true;
        }
    }

    /** The head of an answer, without the blank line; null at a clean end of stream before it. */
    private String readHead() throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new AssertionError("closed in the middle of an answer's head: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        final String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One answer as it came off the wire. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** A header by its name in any case; null when absent. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The IDs of a {@code {"ids":[...]}} body. */
        long[] ids() {
            final String json = text();
            final String list = json.substring(json.indexOf('[') + 1, json.lastIndexOf(']'));
            return list.isEmpty() ? new long[0]
                    : Arrays.stream(list.split(",")).mapToLong(id -> Long.parseLong(id.replace("\"", "")))
                            .toArray();
        }
    }
}
