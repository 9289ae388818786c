package io.flakeproof.service.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fairness probe of a running node: how long small requests on fresh connections take while one
 * connection has a queue of large batches, beside a baseline of the same requests on an idle node
 * taken in the same run.
 *
 * <p>Each sample is {@code GET /health} or {@code POST /ids?count=1} on a new connection, timed from
 * the connect to the last byte of the answer. The loaded phase opens one connection, writes
 * {@code batches} pipelined {@code POST /ids?count=BATCH} in one write, reads their answers on a
 * thread of its own, and samples until the last one has arrived. A measuring tool, not a test:
 * <pre>
 *   java -cp service/target/test-classes io.flakeproof.service.http.FairnessProbe PORT [BATCHES [BATCH [BASELINE]]]
 * </pre>
 * It talks to a node on loopback (127.0.0.1), as {@code ./flakeproof serve} listens by default, and needs
 * nothing but the JDK.
 * Defaults: 100 batches of 100,000 IDs, 800 baseline samples of each kind (after 200 untimed ones), about
 * as many as the loaded phase takes. Both phases leave the same gap between samples, so that they differ
 * only by the load.
 */
public final class FairnessProbe {

    /** Untimed requests first, so that the baseline does not time the probe's own warm-up. */
    private static final int WARMUP_SAMPLES = 200;

    /** Between two samples of the loaded phase: enough for a few hundred samples over a typical run. */
    private static final long SAMPLE_GAP_MILLIS = 2;

    private final int port;

    private FairnessProbe(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        final int port = Integer.parseInt(args[0]);
        final int batches = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        final int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        final int baseline = args.length > 3 ? Integer.parseInt(args[3]) : 800;
        new FairnessProbe(port).run(batches, batch, baseline);
    }

    private void run(int batches, int batch, int baselineSamples) throws Exception {
        for (int i = 0; i < WARMUP_SAMPLES; i++) {
            timeOne("GET /health");
            timeOne("POST /ids?count=1");
        }
        final Samples idleHealth = new Samples();
        final Samples idleSingle = new Samples();
        final Samples idleConnects = new Samples();
        for (int i = 0; i < baselineSamples; i++) {
            idleHealth.add(timeOne("GET /health", idleConnects));
            idleSingle.add(timeOne("POST /ids?count=1"));
            TimeUnit.MILLISECONDS.sleep(SAMPLE_GAP_MILLIS);
        }
        final Samples loadedConnects = new Samples();
        final Samples loadedHealth = new Samples();
        final Samples loadedSingle = new Samples();
        final AtomicInteger answered = new AtomicInteger();
        final long loadStart = System.nanoTime();
        try (RawConnection heavy = RawConnection.open(port)) {
            final Thread reader = new Thread(() -> {
                while (answered.get() < batches && heavy.readSkippingBody() != null) {
                    answered.incrementAndGet();
                }
            }, "heavy-reader");
            reader.start();
            heavy.send(("POST /ids?count=" + batch + " HTTP/1.1\r\nHost: probe\r\n\r\n").repeat(batches));
            while (answered.get() < batches && reader.isAlive()) {
                loadedHealth.add(timeOne("GET /health", loadedConnects));
                loadedSingle.add(timeOne("POST /ids?count=1"));
                TimeUnit.MILLISECONDS.sleep(SAMPLE_GAP_MILLIS);
            }
            reader.join();
        }
        final double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        System.out.printf(Locale.ROOT, "load: %d of %d pipelined count=%d answered in %.2f s on one connection%n",
                answered.get(), batches, batch, loadSeconds);
        System.out.println("                      samples     p50 ms     p99 ms     max ms");
        idleHealth.print("/health, idle node");
        loadedHealth.print("/health, under load");
        idleSingle.print("count=1, idle node");
        loadedSingle.print("count=1, under load");
        idleConnects.print("connect, idle node");
        loadedConnects.print("connect, under load");
        System.out.printf(Locale.ROOT, "the load adds at p99: %.2f ms to /health, %.2f ms to count=1%n",
                loadedHealth.percentile(99) - idleHealth.percentile(99), loadedSingle.percentile(99) - idleSingle.percentile(99));
    }

    /** Milliseconds from connecting to the end of the answer to one request on a new connection. */
    private double timeOne(String requestLine) {
        return timeOne(requestLine, null);
    }

    /** As {@link #timeOne(String)}; the connect's own milliseconds go to {@code connects} too, when given. */
    private double timeOne(String requestLine, Samples connects) {
        final long start = System.nanoTime();
        try (RawConnection client = RawConnection.open(port)) {
            if (connects != null) {
                connects.add((System.nanoTime() - start) / 1e6);
            }
            final RawConnection.Answer answer = client.send(requestLine + " HTTP/1.1\r\nHost: probe\r\n\r\n").read();
            if (answer == null || answer.status() / 100 != 2) {
                throw new IllegalStateException("not a 2xx answer to " + requestLine + ": " + answer);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Latencies in milliseconds, and their percentiles by the nearest-rank method. */
    private static final class Samples {
        private double[] values = new double[256];
        private int size;

        void add(double millis) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = millis;
        }

        double percentile(double p) {
            final double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(p / 100 * size) - 1)];
        }

        void print(String label) {
            if (size == 0) {
                System.out.printf(Locale.ROOT, "%-22s %7d%n", label, 0);
                return;
            }
            System.out.printf(Locale.ROOT, "%-22s %7d %10.2f %10.2f %10.2f%n", label, size, percentile(50),
                    percentile(99), percentile(100));
        }
    }
}
