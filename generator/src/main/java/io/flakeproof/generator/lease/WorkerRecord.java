package io.flakeproof.generator.lease;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The persistent record of one worker ID: who holds it, in which holder epoch, the highest tick any
 * holder may have minted in, and the token of the write that produced it. Stored as one small JSON
 * object; the record is never deleted.
 *
 * @param holderEpoch how many times the worker has been claimed; every claim adds one
 * @param holder      the holder's identity (unique per process start: it carries a random nonce);
 *                    empty when never claimed
 * @param ceilingTick the highest tick the holder may mint in; the next holder's floor
 * @param writeToken  a random value unique to the write that stored this record: a write whose outcome
 *                    was unknown is the holder's own only if a read shows its token (0: none)
 */
public record WorkerRecord(long holderEpoch, String holder, long ceilingTick, long writeToken) {

    private static final Pattern JSON = Pattern.compile(
            "\\{\\s*\"holderEpoch\"\\s*:\\s*(\\d+)\\s*,\\s*\"holder\"\\s*:\\s*\"([^\"]*)\"\\s*,"
                    + "\\s*\"ceilingTick\"\\s*:\\s*(-?\\d+)\\s*(?:,\\s*\"writeToken\"\\s*:\\s*(-?\\d+)\\s*)?}\\s*");

    private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9._:@-]{0,200}");

    public WorkerRecord {
        Objects.requireNonNull(holder, "holder");
        if (!HOLDER.matcher(holder).matches()) {
            throw new IllegalArgumentException("holder must be up to 200 of [A-Za-z0-9._:@-]: '" + holder + "'");
        }
        if (holderEpoch < 0) {
            throw new IllegalArgumentException("holderEpoch must be at least 0: " + holderEpoch);
        }
        if (ceilingTick < -1) {
            throw new IllegalArgumentException("ceilingTick must be at least -1: " + ceilingTick);
        }
    }

    /** A record that exists but was never claimed: its ceiling is the first holder's floor. */
    public static WorkerRecord unclaimed(long ceilingTick) {
        return new WorkerRecord(0, "", ceilingTick, 0);
    }

    /** {@code {"holderEpoch":3,"holder":"...","ceilingTick":123,"writeToken":-42}} in UTF-8. */
    public byte[] toBytes() {
        return ("{\"holderEpoch\":" + holderEpoch + ",\"holder\":\"" + holder + "\",\"ceilingTick\":"
                + ceilingTick + ",\"writeToken\":" + writeToken + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads what {@link #toBytes()} wrote (a record from before write tokens reads as token 0).
     *
     * @throws IllegalArgumentException quoting the bytes when they are not a worker record
     */
    public static WorkerRecord fromBytes(byte[] bytes) {
        final String text = bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        final Matcher m = JSON.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a worker record: '" + text + "'");
        }
        return new WorkerRecord(Long.parseLong(m.group(1)), m.group(2), Long.parseLong(m.group(3)),
                m.group(4) == null ? 0 : Long.parseLong(m.group(4)));
    }
}
