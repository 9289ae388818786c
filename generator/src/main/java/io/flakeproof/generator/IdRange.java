package io.flakeproof.generator;

/**
 * {@code count} consecutive IDs starting at {@code firstId}: {@code [firstId, firstId + count)}.
 * IDs minted by one worker in one tick are consecutive longs, so a batch inside a tick is a range.
 *
 * @param firstId the first ID of the range
 * @param count   how many IDs, at least 1
 */
public record IdRange(long firstId, long count) {

    public IdRange {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        if (firstId < 0 || firstId > Long.MAX_VALUE - (count - 1)) {
            throw new IllegalArgumentException("range must lie in [0, " + Long.MAX_VALUE + "]: first " + firstId
                    + ", count " + count);
        }
    }

    /** The last ID of the range: firstId + count - 1. */
    public long lastId() {
        return firstId + count - 1;
    }

    /** Whether the ID lies in the range. */
    public boolean contains(long id) {
        return id >= firstId && id <= lastId();
    }
}
