package io.flakeproof.generator;

import java.time.Instant;

/**
 * The fields of one ID under a layout.
 *
 * @param id           the ID itself
 * @param timestamp    the start of the ID's tick: epoch + tick * tickMillis
 * @param tick         ticks since the layout's epoch
 * @param datacenterId the datacenter field
 * @param workerId     the worker field
 * @param sequence     the sequence field
 */
public record DecodedId(long id, Instant timestamp, long tick, long datacenterId, long workerId, long sequence) {
}
