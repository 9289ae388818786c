package io.flakeproof.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.time.Instant;
import java.util.List;

/**
 * The drift policies' trade-off, measured on the real generator in virtual time: one request a
 * millisecond (open loop: a request that had to wait makes the next ones late, and their lateness
 * counts), the wall clock stepped back once after one second, then no correction. For each policy and
 * step size: the share of requests answered, the longest a request waited or the node refused, and
 * how far ahead of the node's own clock the IDs' time ran.
 */
final class DriftStudy {

    static final List<String> POLICIES = List.of("fail", "wait:1s", "absorb:5ms:1s");
    static final long[] STEPS_MS = {1, 2, 5, 10, 50, 200, 1000, 5000};
    private static final long AFTER_MS = 2_000;
    private static final long STEP_AT_MS = 1_000;

    private DriftStudy() {
    }

    static ObjectNode run(ObjectMapper json) {
        final ObjectNode root = json.createObjectNode();
        root.put("method", "one nextId() per virtual millisecond on the snowflake layout, the wall clock stepped back at "
                + STEP_AT_MS + " ms and never corrected, " + AFTER_MS + " ms of requests after the step's size has passed");
        final ArrayNode rows = root.putArray("rows");
        for (String policy : POLICIES) {
            for (long step : STEPS_MS) {
                rows.add(one(json, DriftPolicy.parse(policy), step).put("policy", policy).put("step_ms", step));
            }
        }
        return root;
    }

    private static ObjectNode one(ObjectMapper json, DriftPolicy policy, long stepMs) {
        final BitLayout layout = BitLayout.snowflake();
        final long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        final ManualClock clock = new ManualClock(start);
        final SnowflakeGenerator g = new SnowflakeGenerator(layout, new StaticLease(0, 1), clock, policy);
        final long requests = STEP_AT_MS + stepMs + AFTER_MS;
        long served = 0;
        long longestWaitNanos = 0;
        long refusedSince = -1;
        long longestRefusalNanos = 0;
        long maxLeadOverClockMs = 0;
        long maxLeadOverTrueMs = 0;
        boolean stepped = false;
        for (long k = 0; k < requests; k++) {
            final long due = k * 1_000_000;
            if (clock.monotonicNanos() < due) {
                clock.advance((due - clock.monotonicNanos()) / 1_000_000);
            }
            if (!stepped && k >= STEP_AT_MS) {
                clock.stepWall(-stepMs);
                stepped = true;
            }
            try {
                final long id = g.nextId();
                final long now = clock.monotonicNanos();
                served++;
                longestWaitNanos = Math.max(longestWaitNanos, now - due);
                if (refusedSince >= 0) {
                    longestRefusalNanos = Math.max(longestRefusalNanos, now - refusedSince);
                    refusedSince = -1;
                }
                final long idMillis = layout.startMillisOf(layout.tickOf(id));
                maxLeadOverClockMs = Math.max(maxLeadOverClockMs, idMillis - clock.wallMillis());
                maxLeadOverTrueMs = Math.max(maxLeadOverTrueMs, idMillis - (start + now / 1_000_000));
            } catch (MintRefusedException e) {
                if (refusedSince < 0) {
                    refusedSince = due;
                }
            }
        }
        if (refusedSince >= 0) {
            longestRefusalNanos = Math.max(longestRefusalNanos, clock.monotonicNanos() - refusedSince);
        }
        return json.createObjectNode().put("requests", requests).put("served", served)
                .put("availability", (double) served / requests)
                .put("longest_wait_ms", longestWaitNanos / 1e6)
                .put("longest_refusal_ms", longestRefusalNanos / 1e6)
                .put("max_lead_over_clock_ms", maxLeadOverClockMs)
                .put("max_lead_over_true_time_ms", maxLeadOverTrueMs);
    }
}
