package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import java.time.Duration;
import java.time.Instant;

/**
 * A planned move of a fleet from one layout (or epoch) to another, checked for what keeps IDs unique
 * and sorted across it: every node of the old layout is stopped by the cutover, and no node of the new
 * one starts before every ID it can mint is numerically above every ID the old one minted.
 *
 * <p>The largest old ID is the old layout's last tick at the cutover plus the margin, with every
 * datacenter, worker and sequence bit set: old nodes mint up to their ceilings, which run up to a
 * lease window ahead of a clock that may itself be up to the offset bound ahead. The smallest new ID
 * of a tick has datacenter, worker and sequence 0, so the new layout's first safe tick is the first
 * whose smallest ID is above the largest old one; a new node whose clock is up to the margin behind
 * must not read a tick below it, so the earliest start is that tick's start plus the margin, and never
 * before the cutover.
 *
 * @param oldLayout     the layout the fleet runs now
 * @param newLayout     the layout it moves to
 * @param cutover       when the last node of the old layout is stopped
 * @param margin        clock error and lease lead allowed on either side (lease window plus offset bound)
 * @param largestOldId  the largest ID the old layout can have minted by the cutover
 * @param firstNewTick  the new layout's first tick whose every ID is above {@code largestOldId};
 *                      above its {@code maxTick} when there is none
 * @param earliestStart when the first node of the new layout may start, or null when no time works
 */
record LayoutMigration(BitLayout oldLayout, BitLayout newLayout, Instant cutover, Duration margin, long largestOldId,
        long firstNewTick, Instant earliestStart) {

    /** The check of a move from {@code oldLayout} to {@code newLayout} at {@code cutover}. */
    static LayoutMigration plan(BitLayout oldLayout, BitLayout newLayout, Instant cutover, Duration margin) {
        if (margin.isNegative()) {
            throw new IllegalArgumentException("margin must not be negative: " + margin);
        }
        final long lastOldTick = Math.min(oldLayout.maxTick(),
                oldLayout.tickAt(cutover.plus(margin).toEpochMilli()));
        final long largestOldId = lastOldTick < 0 ? -1 : oldLayout.compose(lastOldTick, oldLayout.maxDatacenterId(),
                oldLayout.maxWorkerId(), oldLayout.maxSequence());
        // The smallest ID of tick t is t << tickShift: above largestOldId from t = (largestOldId >> tickShift) + 1.
        final long firstNewTick = largestOldId < 0 ? 0 : (largestOldId >> newLayout.tickShift()) + 1;
        if (firstNewTick > newLayout.maxTick()) {
            return new LayoutMigration(oldLayout, newLayout, cutover, margin, largestOldId, firstNewTick, null);
        }
        final Instant safe = Instant.ofEpochMilli(newLayout.startMillisOf(firstNewTick)).plus(margin);
        return new LayoutMigration(oldLayout, newLayout, cutover, margin, largestOldId, firstNewTick,
                safe.isAfter(cutover) ? safe : cutover);
    }

    /** Whether some start time keeps every new ID above every old one. */
    boolean possible() {
        return earliestStart != null;
    }

    /** How long the fleet mints nothing: from the cutover to the earliest start. */
    Duration gap() {
        return Duration.between(cutover, earliestStart);
    }
}
