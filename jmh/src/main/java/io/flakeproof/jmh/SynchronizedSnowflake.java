package io.flakeproof.jmh;

import io.flakeproof.generator.SystemClock;

/**
 * The seed's generator: a line-for-line transliteration of Twitter's 2010 {@code IdWorker}, kept as
 * the baseline flakeproof replaces. One lock around {@code nextId}; a spent sequence spins on the
 * clock until the next millisecond; a clock behind the last timestamp is refused.
 *
 * <pre>
 *  bit 63   62 ............ 22  21 ...... 17  16 .... 12  11 ...... 0
 *  +-----+--------------------+-------------+-----------+-----------+
 *  |  0  | ms since twepoch   | datacenter  |  worker   | sequence  |
 *  +-----+--------------------+-------------+-----------+-----------+
 * </pre>
 *
 * <p>Not part of flakeproof: it lives here only to be measured. Its clock is {@link SystemClock},
 * which reads {@link System#currentTimeMillis()} as the original's {@code timeGen()} did.
 */
public final class SynchronizedSnowflake implements IdSource {

    /** Twitter's epoch, 2010-11-04T01:42:54.657Z. */
    private static final long TWEPOCH = 1288834974657L;
    private static final long WORKER_ID_BITS = 5L;
    private static final long DATACENTER_ID_BITS = 5L;
    /** 2^5 - 1 = 31: the largest worker ID. */
    private static final long MAX_WORKER_ID = -1L ^ (-1L << WORKER_ID_BITS);
    /** 2^5 - 1 = 31: the largest datacenter ID. */
    private static final long MAX_DATACENTER_ID = -1L ^ (-1L << DATACENTER_ID_BITS);
    /** 12 bits: 4,096 IDs per millisecond. */
    private static final long SEQUENCE_BITS = 12L;
    private static final long WORKER_ID_SHIFT = SEQUENCE_BITS;
    private static final long DATACENTER_ID_SHIFT = SEQUENCE_BITS + WORKER_ID_BITS;
    /** 12 + 5 + 5 = 22: 41 bits of milliseconds remain, 69.7 years from the epoch. */
    private static final long TIMESTAMP_LEFT_SHIFT = SEQUENCE_BITS + WORKER_ID_BITS + DATACENTER_ID_BITS;
    /** 2^12 - 1 = 4,095: the sequence mask. */
    private static final long SEQUENCE_MASK = -1L ^ (-1L << SEQUENCE_BITS);

    private final long workerId;
    private final long datacenterId;
    private long sequence;
    private long lastTimestamp = -1L;

    /**
     * @throws IllegalArgumentException if an ID does not fit its 5 bits
     */
    public SynchronizedSnowflake(long workerId, long datacenterId) {
        if (workerId > MAX_WORKER_ID || workerId < 0) {
            throw new IllegalArgumentException("workerId must be in [0, " + MAX_WORKER_ID + "]: " + workerId);
        }
        if (datacenterId > MAX_DATACENTER_ID || datacenterId < 0) {
            throw new IllegalArgumentException(
                    "datacenterId must be in [0, " + MAX_DATACENTER_ID + "]: " + datacenterId);
        }
        this.workerId = workerId;
        this.datacenterId = datacenterId;
    }

    /**
     * The next ID.
     *
     * @throws IllegalStateException when the clock reads behind the last ID's millisecond
     */
    @Override
    public synchronized long next() {
        long timestamp = timeGen();
        if (timestamp < lastTimestamp) {
            throw new IllegalStateException("Clock moved backwards. Refusing to generate id for "
                    + (lastTimestamp - timestamp) + " milliseconds");
        }
        if (lastTimestamp == timestamp) {
            sequence = (sequence + 1) & SEQUENCE_MASK;
            if (sequence == 0) {
                timestamp = tilNextMillis(lastTimestamp);
            }
        } else {
            sequence = 0;
        }
        lastTimestamp = timestamp;
        return ((timestamp - TWEPOCH) << TIMESTAMP_LEFT_SHIFT)
                | (datacenterId << DATACENTER_ID_SHIFT)
                | (workerId << WORKER_ID_SHIFT)
                | sequence;
    }

    /** The original's unbounded spin: no pause, no limit, while holding the lock. */
    private static long tilNextMillis(long lastTimestamp) {
        long timestamp = timeGen();
        while (timestamp <= lastTimestamp) {
            timestamp = timeGen();
        }
        return timestamp;
    }

    private static long timeGen() {
        return SystemClock.INSTANCE.wallMillis();
    }
}
