package io.flakeproof.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * IDs from a flakeproof fleet in nanoseconds: the client hands them out of ranges it prefetched with
 * {@code POST /ids/ranges}, and refills in the background, failing over between nodes.
 *
 * <pre>{@code
 * try (FlakeproofClient ids = FlakeproofClient.builder()
 *         .nodes(URI.create("http://id1:8080"), URI.create("http://id2:8080"))
 *         .build()) {
 *     long id = ids.nextId();
 * }
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Unique.</b> Every ID is handed out once, to one caller: each comes from a range that a node
 *       minted on a leased worker, and a range's cursor only moves forward. Ranges are never reused,
 *       not even after a failure or a {@link #close}.</li>
 *   <li><b>No duplicate after a node loses its lease.</b> A range was already minted when the node
 *       answered; the node's next holder of that worker starts above it (the fenced lease), so IDs the
 *       client still holds cannot collide with anything minted later.</li>
 *   <li><b>Ordering</b> only within a range (consecutive, increasing) and within the staleness bound:
 *       IDs from different ranges or nodes are not ordered relative to each other.</li>
 *   <li><b>Staleness bound.</b> A range is dropped once it is {@link Builder#maxAge maxAge} old
 *       (default 1 s), counted from when its request was sent, so an ID handed out lags its node's clock
 *       by at most maxAge plus the background sweep's period ({@value #SWEEP_MILLIS} ms, more only if
 *       that thread is not scheduled). IDs of one client therefore sort by time to within that bound.</li>
 *   <li><b>Never waits for a refill while the buffer holds IDs</b> (moving on to the next buffered range
 *       takes the lock, held elsewhere only for bookkeeping). When it is empty, a call waits at most
 *       {@link Builder#maxWait maxWait} (default 1 s), then throws {@link FlakeproofUnavailableException},
 *       naming every node and why it gave nothing. Never a sentinel value.</li>
 *   <li><b>Thread-safe.</b> Any number of threads may call it. A call that the current range can serve
 *       is one atomic add on that range's cursor (wait-free on hardware with an atomic add); only
 *       moving to the next range takes a lock.</li>
 * </ul>
 *
 * <h2>Design</h2>
 * The hot path reads the volatile {@code current} range and adds to its cursor. Everything else runs
 * on one background thread, the refiller, every {@value #SWEEP_MILLIS} ms, and on the HTTP client's
 * threads when answers arrive, under one lock:
 * <ul>
 *   <li><b>Sizing.</b> The refiller measures consumption over windows of {@value #RATE_WINDOW_MILLIS} ms
 *       and keeps about {@value #HORIZON_MILLIS} ms of it buffered (at most maxAge / 4, so that most of
 *       a range is used before it goes stale), between minBatch and {@value #MAX_IN_FLIGHT} requests of
 *       maxBatch. A burst grows the next request at once; idleness shrinks it by half per window. Each
 *       call that finds the buffer empty doubles the target too, so a sudden demand is met within a few
 *       requests rather than a window later.</li>
 *   <li><b>Node choice.</b> Nodes whose breaker admits a request, best health first (ok, not yet asked,
 *       degraded, unavailable), in turn among equals, so refills spread over the fleet. Health comes
 *       from {@code GET /health} every {@link Builder#healthInterval healthInterval}.</li>
 *   <li><b>Failover and hedging.</b> A request that fails (no connection, a timeout after
 *       {@link Builder#requestTimeout requestTimeout}, an error status, a malformed answer) is sent
 *       again to the next node not yet tried for this refill (a failover), unless another request of
 *       the refill is still out: a hedge, which already asks another node. A request with no answer
 *       after {@link Builder#hedgeAfter hedgeAfter} gets a second one on another node; whichever answers
 *       well is used, and a late second answer is buffered too (it is just as unique).</li>
 * </ul>
 */
public final class FlakeproofClient implements AutoCloseable {

    /** Period of the refiller's sweep: staleness, consumption, refills, hedges, health checks. */
    static final long SWEEP_MILLIS = 1;

    /** Consumption is measured over windows this long. */
    static final long RATE_WINDOW_MILLIS = 50;

    /** The buffer aims to hold this much consumption (capped by maxAge / 4). */
    static final long HORIZON_MILLIS = 100;

    /** Refills in flight at once, at most: more than one only when one maxBatch covers less than the horizon. */
    static final int MAX_IN_FLIGHT = 4;

    /** The largest count one {@link #nextIds} call or one request may ask for. */
    public static final int MAX_COUNT = 1_000_000;

    /** Answers longer than this are not read (a ranges answer of 1,000,000 IDs is about 12 KB). */
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private static final Range EMPTY = new Range(0, 0, 0);

    private final List<Node> nodes;
    private final Settings settings;
    private final LongSupplier ticker;
    private final HttpClient http;
    private final ExecutorService httpThreads;
    private final Thread refiller;

    /** The range callers claim from; replaced only under {@link #lock}. */
    private volatile Range current = EMPTY;
    private volatile boolean closed;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when ranges arrive and on close. */
    private final Condition arrived = lock.newCondition();

    // ---- guarded by lock ----
    private final ArrayDeque<Range> queued = new ArrayDeque<>();
    private long queuedIds;
    /** IDs handed out of ranges that are no longer current. */
    private long retiredClaimed;
    private final List<Refill> refills = new ArrayList<>();
    private long inFlightIds;
    private int nextNode;
    private long windowStartNanos;
    private long windowStartConsumed;
    private double idsPerNano;
    /** The target a caller that found the buffer empty set: doubled by each such call, halved per window. */
    private long burstTarget;
    private FleetLayout layout;
    private long idsReceived;
    private long idsDroppedStale;
    private long requests;
    private long accepted;
    private long failedRequests;
    private long failovers;
    private long hedges;
    private long circuitOpenings;
    private long latencyTotal;
    private long latencyMax;
    private long waits;
    private long waitNanos;

    private FlakeproofClient(Settings settings, LongSupplier ticker) {
        this.settings = settings;
        this.ticker = ticker;
        final List<Node> list = new ArrayList<>();
        for (URI uri : settings.nodes) {
            list.add(new Node(uri));
        }
        this.nodes = List.copyOf(list);
        final AtomicInteger threadNumber = new AtomicInteger();
        this.httpThreads = Executors.newFixedThreadPool(2, task -> {
            final Thread thread = new Thread(task, "flakeproof-client-http-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout).executor(httpThreads).build();
        this.windowStartNanos = ticker.getAsLong();
        this.refiller = new Thread(this::refillLoop, "flakeproof-client-refill");
        this.refiller.setDaemon(true);
        this.refiller.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The next ID. One atomic add while the current range lasts; otherwise the next buffered range, or
     * a wait of at most maxWait for one.
     *
     * @throws FlakeproofUnavailableException when the buffer stayed empty for maxWait
     * @throws IllegalStateException          when the client is closed and its buffer is spent
     */
    public long nextId() {
        final long id = current.claim();
        return id != Range.SPENT ? id : nextIdAfterRange();
    }

    /**
     * {@code count} IDs, as consecutive as the buffered ranges allow: one atomic add per range they
     * come from. Waits, in total, at most maxWait for ranges.
     *
     * @throws IllegalArgumentException       unless count is in [1, {@value #MAX_COUNT}]
     * @throws FlakeproofUnavailableException when the buffer stayed empty for maxWait
     * @throws IllegalStateException          when the client is closed and its buffer is spent
     */
    public long[] nextIds(int count) {
        Settings.requireInRange("count", count, 1, MAX_COUNT);
        final long[] ids = new long[count];
        int filled = 0;
        long waitStart = 0;
        while (filled < count) {
            final Range range = current;
            final int got = range.claimInto(ids, filled, count - filled);
            if (got > 0) {
                filled += got;
                continue;
            }
            if (waitStart == 0) {
                waitStart = ticker.getAsLong() | 1; // never 0, which means "not waiting"
            }
            nextRange(range, waitStart);
        }
        return ids;
    }

    /**
     * The fleet's layout, for {@link FleetLayout#decode}: as the last {@code /health} answer said, or
     * asked of the nodes in turn when none has answered yet.
     *
     * @throws FlakeproofUnavailableException when no node answers with a well-formed health body
     */
    public FleetLayout layout() {
        lock.lock();
        try {
            if (layout != null) {
                return layout;
            }
        } finally {
            lock.unlock();
        }
        final List<FlakeproofUnavailableException.NodeFailure> failures = new ArrayList<>();
        for (Node node : nodes) {
            try {
                final HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.health)
                        .timeout(settings.requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofString());
                final FleetLayout answered = Answers.health(response.body()).layout();
                lock.lock();
                try {
                    layout = answered;
                } finally {
                    lock.unlock();
                }
                return answered;
            } catch (IOException | MalformedAnswerException e) {
                failures.add(new FlakeproofUnavailableException.NodeFailure(node.uri, describe(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking " + node.uri + " for the layout", e);
            }
        }
        throw new FlakeproofUnavailableException("no node told the fleet's layout", failures);
    }

    /** The counters now. */
    public ClientStats stats() {
        lock.lock();
        try {
            final long now = ticker.getAsLong();
            final List<ClientStats.NodeState> states = new ArrayList<>();
            for (Node node : nodes) {
                states.add(node.snapshot(now, settings.breakerFailures));
            }
            return new ClientStats(current.remaining() + queuedIds, idsReceived, idsDroppedStale, requests,
                    accepted, failedRequests, failovers, hedges, circuitOpenings, latencyTotal, latencyMax, waits,
                    waitNanos, states);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops refilling and drops the buffer. Calls that are waiting, and later calls once the current
     * range is spent, get an {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queued.clear();
            queuedIds = 0;
            current = EMPTY;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(refiller);
        try {
            refiller.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
    }

    // ---- callers' slow path ----

    private long nextIdAfterRange() {
        long waitStart = 0;
        while (true) {
            final Range range = current;
            final long id = range.claim();
            if (id != Range.SPENT) {
                return id;
            }
            if (waitStart == 0) {
                waitStart = ticker.getAsLong() | 1;
            }
            nextRange(range, waitStart);
        }
    }

    /**
     * Makes the first fresh buffered range current if {@code spent} still is, or waits for one to arrive
     * until maxWait after {@code waitStart}. Returns once {@code current} may hold IDs again.
     */
    private void nextRange(Range spent, long waitStart) {
        boolean waited = false;
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the client is closed");
                }
                final long now = ticker.getAsLong();
                dropStale(now);
                final Range range = current;
                if (range != EMPTY && range != spent) {
                    // Another caller or the sweep moved on: try that range.
                    if (waited) {
                        waitNanos += now - waitStart;
                    }
                    return;
                }
                if (range == spent && range != EMPTY) {
                    retire(range);
                    current = EMPTY;
                }
                final Range next = queued.poll();
                if (next != null) {
                    queuedIds -= next.count();
                    current = next;
                    if (waited) {
                        waitNanos += now - waitStart;
                    }
                    return;
                }
                if (!waited) {
                    waited = true;
                    waits++;
                    burstTarget = Math.min((long) settings.maxBatch * MAX_IN_FLIGHT,
                            2 * Math.max(burstTarget, settings.minBatch));
                    LockSupport.unpark(refiller);
                }
                final long left = settings.maxWait.toNanos() - (now - waitStart);
                if (left <= 0) {
                    waitNanos += now - waitStart;
                    throw new FlakeproofUnavailableException(String.format(Locale.ROOT,
                            "no ID within %d ms: the buffer is empty and no node answered in time",
                            settings.maxWait.toMillis()), whyNot(now));
                }
                arrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for IDs", e);
        } finally {
            lock.unlock();
        }
    }

    /** Counts what was handed out of a range that stops being current. Under the lock. */
    private void retire(Range range) {
        retiredClaimed += range.claimed();
    }

    /** Drops buffered ranges, and the current one, whose age reached maxAge. Under the lock. */
    private void dropStale(long now) {
        final long maxAge = settings.maxAge.toNanos();
        while (!queued.isEmpty() && now - queued.peek().requestedAtNanos >= maxAge) {
            final Range stale = queued.poll();
            queuedIds -= stale.count();
            idsDroppedStale += stale.count();
        }
        final Range range = current;
        if (range != EMPTY && now - range.requestedAtNanos >= maxAge) {
            retire(range);
            idsDroppedStale += range.remaining();
            final Range next = queued.poll();
            if (next != null) {
                queuedIds -= next.count();
            }
            current = next == null ? EMPTY : next;
        }
    }

    private List<FlakeproofUnavailableException.NodeFailure> whyNot(long now) {
        final List<FlakeproofUnavailableException.NodeFailure> failures = new ArrayList<>();
        for (Node node : nodes) {
            failures.add(new FlakeproofUnavailableException.NodeFailure(node.uri,
                    node.whyNot(now, settings.breakerFailures)));
        }
        return failures;
    }

    // ---- the refiller ----

    private void refillLoop() {
        final long period = TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
        while (!closed) {
            final List<Runnable> sends = new ArrayList<>();
            lock.lock();
            try {
                if (closed) {
                    return;
                }
                sweep(ticker.getAsLong(), sends);
            } finally {
                lock.unlock();
            }
            sends.forEach(Runnable::run);
            LockSupport.parkNanos(this, period);
        }
    }

    /** One sweep: staleness, the consumption rate, new refills, hedges, health checks. Under the lock. */
    private void sweep(long now, List<Runnable> sends) {
        dropStale(now);
        measure(now);
        final long target = target();
        final long batch = Math.max(settings.minBatch, Math.min(settings.maxBatch, target));
        while (refills.size() < MAX_IN_FLIGHT && current.remaining() + queuedIds + inFlightIds < target) {
            final Node node = pick(List.of(), now);
            if (node == null) {
                break;
            }
            final Refill refill = new Refill(batch);
            refills.add(refill);
            inFlightIds += batch;
            sends.add(refill.send(node, now));
        }
        for (Refill refill : refills) {
            if (!refill.hedged && refill.pending == 1 && now - refill.lastSentNanos >= settings.hedgeAfter.toNanos()) {
                final Node other = pick(refill.tried, now);
                if (other != null) {
                    refill.hedged = true;
                    hedges++;
                    sends.add(refill.send(other, now));
                }
            }
        }
        for (Node node : nodes) {
            if (node.startHealthCheck(now, settings.healthInterval.toNanos())) {
                sends.add(() -> checkHealth(node));
            }
        }
    }

    /** Updates the consumption rate once per window. Under the lock. */
    private void measure(long now) {
        final long elapsed = now - windowStartNanos;
        if (elapsed < TimeUnit.MILLISECONDS.toNanos(RATE_WINDOW_MILLIS)) {
            return;
        }
        final long consumed = retiredClaimed + current.claimed();
        final double rate = (consumed - windowStartConsumed) / (double) elapsed;
        // A burst counts at once; idleness halves the estimate per window.
        idsPerNano = Math.max(rate, (idsPerNano + rate) / 2);
        windowStartNanos = now;
        windowStartConsumed = consumed;
        burstTarget /= 2;
    }

    /** How many IDs to keep buffered and in flight. Under the lock. */
    private long target() {
        final long horizon = Math.min(TimeUnit.MILLISECONDS.toNanos(HORIZON_MILLIS), settings.maxAge.toNanos() / 4);
        final long want = Math.max(burstTarget, (long) Math.ceil(idsPerNano * horizon));
        return Math.max(settings.minBatch, Math.min((long) settings.maxBatch * MAX_IN_FLIGHT, want));
    }

    /**
     * The node for the next request: admitted by its breaker, not in {@code exclude}, best health, and
     * in turn among equals; null when there is none. Under the lock.
     */
    private Node pick(List<Node> exclude, long now) {
        Node best = null;
        for (int i = 0; i < nodes.size(); i++) {
            final Node node = nodes.get((nextNode + i) % nodes.size());
            if (exclude.contains(node) || !node.admits(now, settings.breakerFailures)) {
                continue;
            }
            if (best == null || node.status().compareTo(best.status()) < 0) {
                best = node;
            }
        }
        if (best != null) {
            nextNode = (nodes.indexOf(best) + 1) % nodes.size();
        }
        return best;
    }

    /** One refill: a request for {@code count} IDs, sent to a node, perhaps to a second, then to others. */
    private final class Refill {
        final long count;
        final List<Node> tried = new ArrayList<>();
        int pending;
        boolean hedged;
        boolean done;
        long lastSentNanos;

        Refill(long count) {
            this.count = count;
        }

        /** Marks a request to {@code node} as sent and returns what sends it. Under the lock. */
        Runnable send(Node node, long now) {
            node.sent(settings.breakerFailures);
            tried.add(node);
            pending++;
            requests++;
            lastSentNanos = now;
            final HttpRequest request = HttpRequest.newBuilder(URI.create(node.rangesBase + "?count=" + count))
                    .timeout(settings.requestTimeout).POST(HttpRequest.BodyPublishers.noBody()).build();
            return () -> fetch(request).whenComplete((body, failure) -> answered(this, node, now, body, failure));
        }
    }

    /** What a request's answer turned into, on an HTTP thread. */
    private void answered(Refill refill, Node node, long sentNanos, String body, Throwable failure) {
        long[] ranges = null;
        String reason = null;
        if (failure != null) {
            reason = describe(failure);
        } else {
            try {
                ranges = Answers.ranges(body, refill.count);
            } catch (MalformedAnswerException e) {
                reason = "malformed answer: " + e.getMessage();
            }
        }
        final List<Runnable> sends = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            final long now = ticker.getAsLong();
            refill.pending--;
            if (ranges != null) {
                node.succeeded();
                accepted++;
                final long latency = now - sentNanos;
                latencyTotal += latency;
                latencyMax = Math.max(latencyMax, latency);
                for (int i = 0; i < ranges.length; i += 2) {
                    queued.add(new Range(ranges[i], ranges[i + 1], sentNanos));
                    queuedIds += ranges[i + 1];
                    idsReceived += ranges[i + 1];
                }
                finish(refill);
                arrived.signalAll();
            } else {
                failedRequests++;
                if (node.failed(reason, sentNanos, now, settings.breakerFailures, settings.breakerOpen.toNanos())) {
                    circuitOpenings++;
                }
                if (!refill.done && refill.pending == 0) {
                    final Node other = pick(refill.tried, now);
                    if (other == null) {
                        finish(refill);
                    } else {
                        failovers++;
                        sends.add(refill.send(other, now));
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        sends.forEach(Runnable::run);
    }

    /** The refill is over: a good answer came, or every node failed it. Under the lock. */
    private void finish(Refill refill) {
        if (!refill.done) {
            refill.done = true;
            refills.remove(refill);
            inFlightIds -= refill.count;
        }
    }

    private void checkHealth(Node node) {
        final HttpRequest request = HttpRequest.newBuilder(node.health).timeout(settings.requestTimeout).GET().build();
        fetch(request).whenComplete((body, failure) -> {
            NodeStatus status = NodeStatus.UNAVAILABLE;
            FleetLayout answered = null;
            if (failure == null) {
                try {
                    final Answers.Health health = Answers.health(body);
                    status = health.status();
                    answered = health.layout();
                } catch (MalformedAnswerException e) {
                    status = NodeStatus.UNAVAILABLE;
                }
            }
            lock.lock();
            try {
                node.status(status);
                node.healthCheckDone();
                if (answered != null && layout == null) {
                    layout = answered;
                }
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * The body of a 200 or 503 answer with a Content-Length of at most {@value #MAX_ANSWER_BYTES}; for the
     * ranges route a 503 body is an error and fails {@link Answers#ranges}. Other statuses fail.
     */
    private CompletableFuture<String> fetch(HttpRequest request) {
        final boolean isHealth = request.method().equals("GET");
        final HttpResponse.BodyHandler<String> bounded = info -> {
            final long length = info.headers().firstValueAsLong("content-length").orElse(-1);
            return length >= 0 && length <= MAX_ANSWER_BYTES
                    ? HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8)
                    : HttpResponse.BodySubscribers.replacing(null);
        };
        return http.sendAsync(request, bounded).thenApply(response -> {
            final String body = response.body();
            if (body == null) {
                throw new IllegalStateException("answer length must be given and in [0, " + MAX_ANSWER_BYTES
                        + "] bytes: " + response.headers().firstValue("content-length").orElse("not given"));
            }
            if (response.statusCode() != 200 && !(isHealth && response.statusCode() == 503)) {
                throw new IllegalStateException("status " + response.statusCode() + ": " + abbreviate(body));
            }
            return body;
        });
    }

    /** A failure in a few words: cannot connect, timed out, or the deepest message in the chain. */
    private static String describe(Throwable failure) {
        String message = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpTimeoutException) {
                return "timed out: " + cause.getMessage();
            }
            if (cause instanceof ConnectException) {
                return "cannot connect" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            }
            if (cause.getMessage() != null && !(cause instanceof CompletionException)) {
                message = cause.getMessage();
            }
        }
        return message != null ? message : failure.getClass().getSimpleName();
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }

    /** The checked configuration. */
    private record Settings(List<URI> nodes, int minBatch, int maxBatch, Duration maxAge, Duration maxWait,
            Duration requestTimeout, Duration hedgeAfter, Duration healthInterval, int breakerFailures,
            Duration breakerOpen) {

        static void requireInRange(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
            }
        }

        static Duration requireDuration(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
            }
            return value;
        }
    }

    /**
     * Configures a client. Every setting has a default but the nodes.
     */
    public static final class Builder {

        private static final Duration MILLI = Duration.ofMillis(1);
        private static final Duration HOUR = Duration.ofHours(1);
        private static final Duration MINUTE = Duration.ofMinutes(1);

        private final List<URI> nodes = new ArrayList<>();
        private int minBatch = 1_000;
        private int maxBatch = 100_000;
        private Duration maxAge = Duration.ofSeconds(1);
        private Duration maxWait = Duration.ofSeconds(1);
        private Duration requestTimeout = Duration.ofMillis(500);
        private Duration hedgeAfter = Duration.ofMillis(50);
        private Duration healthInterval = Duration.ofSeconds(1);
        private int breakerFailures = 3;
        private Duration breakerOpen = Duration.ofSeconds(5);
        private LongSupplier ticker = System::nanoTime;

        private Builder() {
        }

        /**
         * The nodes, such as {@code http://id1:8080}: http or https, with a host.
         *
         * @throws IllegalArgumentException for none, or for a URI that is not http(s) with a host
         */
        public Builder nodes(URI... uris) {
            if (uris.length == 0) {
                throw new IllegalArgumentException("nodes must name at least 1 node: 0 given");
            }
            for (URI uri : uris) {
                Objects.requireNonNull(uri, "node");
                final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new IllegalArgumentException("node must be an http or https URI with a host: " + uri);
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException("node must have no query or fragment: " + uri);
                }
            }
            nodes.clear();
            nodes.addAll(List.of(uris));
            return this;
        }

        /**
         * The smallest and largest count one request asks for (default 1,000 and 100,000, the node's default
         * {@code --max-count}): in [1, {@value #MAX_COUNT}], min at most max.
         */
        public Builder batch(int min, int max) {
            Settings.requireInRange("minBatch", min, 1, MAX_COUNT);
            Settings.requireInRange("maxBatch", max, min, MAX_COUNT);
            this.minBatch = min;
            this.maxBatch = max;
            return this;
        }

        /** The staleness bound: buffered ranges this old are dropped (default 1 s), in [1 ms, 1 h]. */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Settings.requireDuration("maxAge", maxAge, MILLI, HOUR);
            return this;
        }

        /** The longest a call waits when the buffer is empty (default 1 s), in [0, 1 h]; 0 fails at once. */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Settings.requireDuration("maxWait", maxWait, Duration.ZERO, HOUR);
            return this;
        }

        /** How long a request may take before it fails and goes to another node (default 500 ms), in [1 ms, 1 min]. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Settings.requireDuration("requestTimeout", requestTimeout, MILLI, MINUTE);
            return this;
        }

        /** How long a refill waits for an answer before a second request goes to another node (default 50 ms), in [1 ms, 1 min]. */
        public Builder hedgeAfter(Duration hedgeAfter) {
            this.hedgeAfter = Settings.requireDuration("hedgeAfter", hedgeAfter, MILLI, MINUTE);
            return this;
        }

        /** How often each node's {@code /health} is asked (default 1 s), in [10 ms, 1 h]. */
        public Builder healthInterval(Duration healthInterval) {
            this.healthInterval = Settings.requireDuration("healthInterval", healthInterval, Duration.ofMillis(10), HOUR);
            return this;
        }

        /**
         * The circuit breaker: {@code failures} failed requests in a row (default 3, in [1, 1,000]) keep refills
         * away from a node for {@code open} (default 5 s, in [1 ms, 1 h]), then one request tries it again.
         */
        public Builder circuitBreaker(int failures, Duration open) {
            Settings.requireInRange("breaker failures", failures, 1, 1_000);
            this.breakerOpen = Settings.requireDuration("breaker open time", open, MILLI, HOUR);
            this.breakerFailures = failures;
            return this;
        }

        /** The client's source of monotonic nanoseconds; tests drive staleness with their own. */
        Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * A client that starts prefetching at once.
         *
         * @throws IllegalArgumentException when no node was given
         */
        public FlakeproofClient build() {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("nodes must name at least 1 node: 0 given");
            }
            return new FlakeproofClient(new Settings(List.copyOf(nodes), minBatch, maxBatch, maxAge, maxWait,
                    requestTimeout, hedgeAfter, healthInterval, breakerFailures, breakerOpen), ticker);
        }
    }
}
