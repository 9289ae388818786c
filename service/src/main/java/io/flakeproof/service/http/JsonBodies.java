package io.flakeproof.service.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DecodedId;
import io.flakeproof.generator.IdRange;
import io.flakeproof.service.NodeHealth;
import io.flakeproof.service.Timestamps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JSON bodies of the node, streamed with Jackson's {@link JsonGenerator} straight into a
 * {@link ByteBuf}: no intermediate strings or trees, so 100,000 IDs cost one buffer of about 2 MB.
 * Field names are snake_case; instants are ISO-8601 UTC with exactly three fraction digits.
 */
final class JsonBodies {

    /** Thread-safe once configured; generators are not, so each body gets its own. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] IDS_OPEN = "{\"ids\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDS_CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);


    /** Room for one ID and its separator: 19 digits, two quotes, a comma. */
    private static final int BYTES_PER_ID = 22;

    private JsonBodies() {
    }

    /** What writes one body. */
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** The buffer {@link #ids} starts with for {@code count} IDs: room for every ID as a string. */
    static long idsCapacity(int count) {
        return 16 + (long) count * BYTES_PER_ID;
    }

    /** {@code {"ids":[1,2,3]}}, or with {@code asStrings} {@code {"ids":["1","2","3"]}}. */
    static ByteBuf ids(ByteBufAllocator alloc, long[] ids, boolean asStrings) {
        // Written by hand rather than through Jackson: the answer every request gets, and a generator,
        // its context and buffers were a fifth of what a single-ID request allocated. The digits go to
        // a block of this thread's, copied to the answer's buffer a block at a time: a byte at a time
        // into a pooled (direct) buffer took 8 ms for 100,000 IDs, on a thread other clients share.
        // IDs are non-negative longs: digits only, nothing to escape.
        final ByteBuf buffer = alloc.buffer((int) idsCapacity(ids.length));
        buffer.writeBytes(IDS_OPEN);
        final byte[] block = BLOCK.get();
        int at = 0;
        for (int i = 0; i < ids.length; i++) {
            if (at > block.length - BYTES_PER_ID) {
                buffer.writeBytes(block, 0, at);
                at = 0;
            }
            if (i > 0) {
                block[at++] = ',';
            }
            if (asStrings) {
                block[at++] = '"';
            }
            at = putDecimal(block, at, ids[i]);
            if (asStrings) {
                block[at++] = '"';
            }
        }
        buffer.writeBytes(block, 0, at);
        return buffer.writeBytes(IDS_CLOSE);
    }

    /** Each thread's block of digits for {@link #ids}: a few hundred IDs' worth. */
    private static final FastThreadLocal<byte[]> BLOCK = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8 * 1024];
        }
    };

    /** 10^0 to 10^18: a long of n digits is below 10^n. */
    private static final long[] POWERS_OF_TEN = new long[19];

    /** "00" to "99": two digits per division. */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** Writes {@code value} (at least 0) in decimal ASCII at {@code into[at]}; returns the index after it. */
    static int putDecimal(byte[] into, int at, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("an ID is never negative: " + value);
        }
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        int i = at + digits;
        long rest = value;
        while (rest >= 100) {
            final int pair = (int) (rest % 100) * 2;
            rest /= 100;
            into[--i] = DIGIT_PAIRS[pair + 1];
            into[--i] = DIGIT_PAIRS[pair];
        }
        if (rest >= 10) {
            into[--i] = DIGIT_PAIRS[(int) rest * 2 + 1];
            into[--i] = DIGIT_PAIRS[(int) rest * 2];
        } else {
            into[--i] = (byte) ('0' + rest);
        }
        return at + digits;
    }

    /** {@code {"ranges":[{"first":1,"count":4096}]}}; with {@code asStrings} each {@code first} is a string. */
    static ByteBuf ranges(ByteBufAllocator alloc, List<IdRange> ranges, boolean asStrings) {
        return write(alloc, 16 + ranges.size() * 48, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("ranges");
            for (IdRange range : ranges) {
                json.writeStartObject();
                json.writeFieldName("first");
                writeId(json, range.firstId(), asStrings);
                json.writeNumberField("count", range.count());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** {@code {"id":..,"timestamp":"..","tick":..,"datacenter":..,"worker":..,"sequence":..}}. */
    static ByteBuf decoded(ByteBufAllocator alloc, DecodedId decoded) {
        return write(alloc, 160, json -> {
            json.writeStartObject();
            json.writeNumberField("id", decoded.id());
            json.writeStringField("timestamp", instant(decoded.timestamp()));
            json.writeNumberField("tick", decoded.tick());
            json.writeNumberField("datacenter", decoded.datacenterId());
            json.writeNumberField("worker", decoded.workerId());
            json.writeNumberField("sequence", decoded.sequence());
            json.writeEndObject();
        });
    }

    /** The {@code /health} body; see {@link NodeHealth} for what each field means. */
    static ByteBuf health(ByteBufAllocator alloc, NodeHealth health) {
        return write(alloc, 512, json -> {
            json.writeStartObject();
            json.writeStringField("status", health.status().name().toLowerCase(Locale.ROOT));
            json.writeNumberField("worker_id", health.workerId());
            json.writeNumberField("datacenter_id", health.datacenterId());
            if (health.clusterId() != null) {
                json.writeStringField("cluster_id", health.clusterId());
            }
            if (health.clockOffsetMs() == null) {
                json.writeNullField("clock_offset_ms");
            } else {
                json.writeNumberField("clock_offset_ms", health.clockOffsetMs());
            }
            json.writeNumberField("lease_remaining_ms", health.leaseRemainingMs());
            json.writeNumberField("sequence_utilization", health.sequenceUtilization());
            final BitLayout layout = health.layout();
            json.writeObjectFieldStart("layout");
            json.writeStringField("name", layout.describe());
            json.writeStringField("bits", layout.bits());
            json.writeNumberField("tick_ms", layout.tickMillis());
            json.writeStringField("epoch", instant(layout.epoch()));
            json.writeEndObject();
            json.writeStringField("layout_exhausts_at", instant(health.layoutExhaustsAt()));
            if (health.operations() != null) {
                operations(json, health.operations());
            }
            json.writeArrayFieldStart("reasons");
            for (String reason : health.reasons()) {
                json.writeString(reason);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** The fields of a node on a leased worker: lease state, configured bounds, layout time left, worker pool. */
    private static void operations(JsonGenerator json, NodeHealth.Operations ops) throws IOException {
        json.writeStringField("cluster", ops.cluster());
        json.writeStringField("lease_state", ops.leaseState().label());
        json.writeNumberField("clock_offset_bound_ms", ops.clockOffsetBoundMs());
        json.writeNumberField("lease_window_ms", ops.leaseWindowMs());
        json.writeObjectFieldStart("drift_policy");
        json.writeStringField("kind", ops.driftPolicy().kind().name().toLowerCase(Locale.ROOT));
        json.writeNumberField("tolerance_ms", ops.driftPolicy().tolerance().toMillis());
        json.writeNumberField("max_wait_ms", ops.driftPolicy().maxWait().toMillis());
        json.writeEndObject();
        json.writeNumberField("layout_remaining_seconds", ops.layoutRemainingSeconds());
        final NodeHealth.Pool pool = ops.workerPool();
        if (pool == null) {
            json.writeNullField("worker_pool");
        } else {
            json.writeObjectFieldStart("worker_pool");
            json.writeNumberField("datacenter", pool.datacenterId());
            json.writeNumberField("capacity", pool.capacity());
            json.writeNumberField("held", pool.held());
            json.writeNumberField("reading_age_seconds", Math.round(pool.readingAgeSeconds() * 10) / 10.0);
            json.writeEndObject();
        }
    }

    /** {@code {"error":"..."}}. */
    static ByteBuf error(ByteBufAllocator alloc, String message) {
        return write(alloc, 32 + message.length(), json -> {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        });
    }

    private static void writeId(JsonGenerator json, long id, boolean asString) throws IOException {
        if (asString) {
            json.writeString(Long.toString(id));
        } else {
            json.writeNumber(id);
        }
    }

    private static String instant(Instant instant) {
        return Timestamps.isoMillis(instant);
    }

    /** A buffer of {@code sizeHint} bytes to start with, holding what {@code body} wrote; released if it fails. */
    private static ByteBuf write(ByteBufAllocator alloc, int sizeHint, Body body) {
        final ByteBuf buffer = alloc.buffer(sizeHint);
        try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(buffer))) {
            body.write(json);
        } catch (IOException e) {
            buffer.release();
            // A ByteBuf grows until memory runs out; it does not fail with an IOException.
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            buffer.release();
            throw e;
        }
        return buffer;
    }
}
