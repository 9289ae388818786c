package io.flakeproof.jmh;

import cn.hutool.core.lang.Snowflake;
import com.github.f4b6a3.tsid.TsidFactory;
import com.github.f4b6a3.uuid.UuidCreator;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.SystemClock;
import java.util.UUID;
import java.util.function.Supplier;
import me.ahoo.cosid.segment.IdSegmentDistributor;
import me.ahoo.cosid.segment.SegmentChainId;
import me.ahoo.cosid.snowflake.MillisecondSnowflakeId;
import org.agrona.concurrent.SnowflakeIdGenerator;

/**
 * Every implementation the benchmarks compare, as the {@code impl} parameter. Each constant makes a
 * fresh instance per trial, configured as an application would: a fixed node or worker where the
 * implementation has one, its defaults otherwise. The capped Snowflakes (flakeproof's default,
 * Hutool, Agrona, CosId and the seed's) mint at most 4,096 IDs per millisecond per instance;
 * the others have no cap that a benchmark can reach.
 */
public enum Peer {

    /** flakeproof on its default layout, 41/0/10/12: lock-free, capped at 4,096,000 IDs/s. */
    FLAKEPROOF(() -> method(Layout.SNOWFLAKE.newGenerator())),

    /** flakeproof on the 22-bit-sequence test layout: its raw speed. */
    FLAKEPROOF_UNCAPPED(() -> method(Layout.UNCAPPED.newGenerator())),

    /** {@link UUID#randomUUID()}: 122 random bits from the shared SecureRandom, both halves consumed. */
    JDK_UUID4(() -> () -> fold(UUID.randomUUID())),

    /** uuid-creator's UUIDv7, {@code UuidCreator.getTimeOrderedEpoch()}, both halves consumed. */
    UUIDV7(() -> () -> fold(UuidCreator.getTimeOrderedEpoch())),

    /**
     * tsid-creator: a {@code TsidFactory} with node 1 (10 node bits, 12 counter bits). This is the code
     * behind {@code TsidCreator.getTsid()}, which uses one static factory with a random node; a
     * fixed node configures it like the other Snowflakes. It takes a lock per ID and, when a
     * millisecond's counter is spent, moves on into the next millisecond instead of waiting, so it
     * has no cap.
     */
    TSID(() -> {
        final TsidFactory factory = TsidFactory.builder().withNode(1).build();
        return () -> factory.create().toLong();
    }),

    /** Hutool's {@code cn.hutool.core.lang.Snowflake}: a synchronized classic Snowflake, worker 1. */
    HUTOOL(() -> {
        final Snowflake snowflake = new Snowflake(1, 0);
        return snowflake::nextId;
    }),

    /** Agrona's {@code SnowflakeIdGenerator}: a CAS loop on one packed long, node 1; spins when a millisecond is spent. */
    AGRONA(() -> {
        final SnowflakeIdGenerator generator = new SnowflakeIdGenerator(1);
        return generator::nextId;
    }),

    /** CosId's {@code MillisecondSnowflakeId}: a synchronized classic Snowflake, machine 1. */
    COSID(() -> {
        final MillisecondSnowflakeId snowflake = new MillisecondSnowflakeId(1);
        return snowflake::generate;
    }),

    /**
     * flakeproof's client, {@link ClientSource}: IDs out of ranges prefetched over HTTP from a node in
     * this process. Closed, and the node's load printed, at the end of the trial.
     */
    FLAKEPROOF_CLIENT(ClientSource::new),

    /**
     * CosId's {@code SegmentChainId}, its fastest: a chain of prefetched segments over an in-memory
     * segment distributor ({@code IdSegmentDistributor.Atomic}, its default step), the same shape as the
     * client but with no network behind it.
     */
    COSID_SEGMENT_CHAIN(() -> {
        final SegmentChainId chain = new SegmentChainId(new IdSegmentDistributor.Atomic());
        return chain::generate;
    }),

    /** The seed's generator, {@link SynchronizedSnowflake}. */
    SYNCHRONIZED_SEED(() -> new SynchronizedSnowflake(1, 0)),

    /** No ID at all: {@code System.currentTimeMillis()}, the clock read every Snowflake pays for. */
    CURRENT_TIME_MILLIS(() -> SystemClock.INSTANCE::wallMillis);

    private final Supplier<IdSource> factory;

    Peer(Supplier<IdSource> factory) {
        this.factory = factory;
    }

    /** A new instance, with nothing minted yet. */
    public IdSource create() {
        return factory.get();
    }

    private static IdSource method(SnowflakeGenerator generator) {
        return generator::nextId;
    }

    private static long fold(UUID uuid) {
        return uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
    }
}
