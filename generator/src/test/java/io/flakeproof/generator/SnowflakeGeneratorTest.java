package io.flakeproof.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SnowflakeGeneratorTest {

    private static final BitLayout SNOWFLAKE = BitLayout.snowflake();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(START);

    private SnowflakeGenerator generator(DriftPolicy policy) {
        return new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 7), clock, policy);
    }

    private long tickNow() {
        return SNOWFLAKE.tickAt(clock.wallMillis());
    }

    @Test
    void composesTheClockTickTheWorkerAndSequenceZero() {
        final long id = generator(DriftPolicy.DEFAULT).nextId();
        assertThat(SNOWFLAKE.decode(id)).isEqualTo(new DecodedId(id, START, tickNow(), 0, 7, 0));
    }

    @Test
    void spreadsIdsOverShardsAtOneIdPerTickWhenTheSequenceStartRotates() {
        final SnowflakeGenerator rotating = new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 7), clock,
                DriftPolicy.DEFAULT, 4);
        final SnowflakeGenerator plain = generator(DriftPolicy.DEFAULT);
        final int[] rotatingShards = new int[16];
        final int[] plainShards = new int[16];
        for (int i = 0; i < 64; i++) {
            rotatingShards[(int) (rotating.nextId() % 16)]++;
            plainShards[(int) (plain.nextId() % 16)]++;
            clock.advance(1);
        }
        assertThat(rotatingShards).containsOnly(4);
        assertThat(plainShards[0]).as("every ID has sequence 0 without rotation").isEqualTo(64);
    }

    @Test
    void aTickWithARotatedStartHoldsTheRestOfItsSequenceAndIsCountedExactly() {
        final SnowflakeGenerator g = new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 7), clock,
                DriftPolicy.waitUpTo(Duration.ofSeconds(1)), 8);
        final long tick = tickNow();
        final long start = tick & 255;
        final List<IdRange> ranges = g.nextRanges(4096 - start);
        assertThat(ranges).hasSize(1);
        assertThat(SNOWFLAKE.decode(ranges.get(0).firstId())).extracting(DecodedId::tick, DecodedId::sequence)
                .containsExactly(tick, start);
        assertThat(SNOWFLAKE.sequenceOf(ranges.get(0).lastId())).isEqualTo(4095);
        final long next = g.nextId();
        assertThat(SNOWFLAKE.decode(next)).extracting(DecodedId::tick, DecodedId::sequence)
                .containsExactly(tick + 1, (tick + 1) & 255);
        assertThat(g.idsMinted()).isEqualTo(4096 - start + 1);
    }

    @Test
    void rejectsARotationThatWouldLeaveATickLessThanHalfItsSequence() {
        assertThatThrownBy(() -> new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 7), clock, DriftPolicy.DEFAULT, 12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rotationBits must be in [0, 11]: 12");
    }

    @Test
    void movesToTheNextTickWhenTheSequenceIsExhausted() {
        final SnowflakeGenerator g = generator(DriftPolicy.waitUpTo(Duration.ofSeconds(1)));
        final long startTick = tickNow();
        final long[] ids = new long[4097];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = g.nextId();
        }
        assertThat(SNOWFLAKE.sequenceOf(ids[4095])).isEqualTo(4095);
        assertThat(SNOWFLAKE.tickOf(ids[4095])).isEqualTo(startTick);
        assertThat(SNOWFLAKE.decode(ids[4096])).extracting(DecodedId::tick, DecodedId::sequence)
                .containsExactly(startTick + 1, 0L);
        assertThat(tickNow()).as("waited for the clock to reach the next tick").isEqualTo(startTick + 1);
        assertThat(g.stats().sequenceExhaustions()).isEqualTo(1);
        assertThat(g.stats().borrowedTicks()).isZero();
    }

    /** Regression: under contention, WAIT refused as "clock behind" a call whose awaited tick others took. */
    @Test
    void aWaitOvertakenByOtherCallsStartsItsBudgetAgain() {
        final SnowflakeGenerator[] self = new SnowflakeGenerator[1];
        final boolean[] overtaken = {false};
        final Clock othersMintWhileThisCallWaits = new Clock() {
            @Override
            public long wallMillis() {
                return clock.wallMillis();
            }

            @Override
            public long monotonicNanos() {
                return clock.monotonicNanos();
            }

            @Override
            public void pause(long nanos) {
                clock.pause(nanos);
                if (!overtaken[0]) {
                    overtaken[0] = true;
                    self[0].nextIds(4096); // another caller takes the whole tick this call waited for
                }
            }
        };
        self[0] = new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 7), othersMintWhileThisCallWaits,
                DriftPolicy.waitUpTo(Duration.ofSeconds(1)));
        final long startTick = tickNow();
        self[0].nextIds(4096);
        final long id = self[0].nextId();
        assertThat(SNOWFLAKE.tickOf(id)).isEqualTo(startTick + 2);
        assertThat(self[0].stats().totalRefusals()).isZero();
    }

    @Test
    void tryNextIdMintsNothingWhenItWouldWait() {
        final SnowflakeGenerator g = generator(DriftPolicy.waitUpTo(Duration.ofSeconds(1)));
        g.nextIds(4096);
        final long monotonicBefore = clock.monotonicNanos();
        assertThat(g.tryNextId()).isEqualTo(SnowflakeGenerator.WOULD_WAIT);
        assertThat(clock.monotonicNanos()).as("did not wait").isEqualTo(monotonicBefore);
        assertThat(g.stats().idsMinted()).isEqualTo(4096);
        clock.advance(1);
        assertThat(SNOWFLAKE.decode(g.tryNextId()).sequence()).isZero();
    }

    @Test
    void absorbBorrowsTheNextTickInsteadOfWaitingOnExhaustion() {
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        final long startTick = tickNow();
        final long[] ids = g.nextIds(4097);
        assertThat(SNOWFLAKE.tickOf(ids[4096])).isEqualTo(startTick + 1);
        assertThat(tickNow()).as("did not wait").isEqualTo(startTick);
        assertThat(g.stats().borrowedTicks()).isEqualTo(1);
    }

    @Test
    void mintsStrictlyIncreasingIdsWhenClockStepsBackUnderAbsorb() {
        final SnowflakeGenerator g = generator(DriftPolicy.absorb(Duration.ofMillis(5), Duration.ofSeconds(1)));
        final long before = g.nextId();
        clock.stepWall(-3);
        final long after = g.nextId();
        assertThat(after).isGreaterThan(before);
        assertThat(SNOWFLAKE.tickOf(after)).isEqualTo(SNOWFLAKE.tickOf(before));
        assertThat(g.stats().clockBehindReadings()).isEqualTo(1);
        assertThat(g.stats().maxBackwardDriftMillis()).isEqualTo(3);
        assertThat(g.stats().waitNanos()).isZero();
    }

    @Test
    void absorbWaitsWhenTheStepBackExceedsTheTolerance() {
        final SnowflakeGenerator g = generator(DriftPolicy.absorb(Duration.ofMillis(5), Duration.ofSeconds(1)));
        final long before = g.nextId();
        clock.stepWall(-50);
        final long monotonicBefore = clock.monotonicNanos();
        final long after = g.nextId();
        assertThat(after).isGreaterThan(before);
        // Mintable again once the clock is within 5 ms of the last tick: 45 ms of waiting.
        assertThat(clock.monotonicNanos() - monotonicBefore).isEqualTo(Duration.ofMillis(45).toNanos());
        assertThat(g.stats().maxBackwardDriftMillis()).isEqualTo(50);
    }

    @Test
    void failRefusesAtOnceWhenClockStepsBack() {
        final SnowflakeGenerator g = generator(DriftPolicy.fail());
        g.nextId();
        clock.stepWall(-2);
        final long monotonicBefore = clock.monotonicNanos();
        assertThatThrownBy(g::nextId)
                .isInstanceOfSatisfying(MintRefusedException.class, e -> {
                    assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.CLOCK_BEHIND);
                    assertThat(e.retryAfterMillis()).isEqualTo(3);
                })
                .hasMessage("clock is 2 ms behind the last minted tick " + (tickNow() + 2) + " and the drift policy is fail");
        assertThat(clock.monotonicNanos()).isEqualTo(monotonicBefore);
        assertThat(g.stats().refusals(MintRefusedException.Cause.CLOCK_BEHIND)).isEqualTo(1);
    }

    @Test
    void waitRefusesAfterItsMaxWaitWhenTheClockStaysBehind() {
        final SnowflakeGenerator g = generator(DriftPolicy.waitUpTo(Duration.ofMillis(100)));
        g.nextId();
        final long lastTick = tickNow();
        clock.stepWall(-10_000);
        final long monotonicBefore = clock.monotonicNanos();
        assertThatThrownBy(g::nextId)
                .isInstanceOf(MintRefusedException.class)
                .hasMessage("clock is 9900 ms behind the last minted tick " + lastTick
                        + " after waiting 100 ms (policy wait:100ms)");
        assertThat(clock.monotonicNanos() - monotonicBefore).isEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void waitMintsOnceTheClockPassesTheLastTick() {
        final SnowflakeGenerator g = generator(DriftPolicy.waitUpTo(Duration.ofMillis(100)));
        final long before = g.nextId();
        clock.stepWall(-40);
        final long after = g.nextId();
        assertThat(after).isGreaterThan(before);
        assertThat(SNOWFLAKE.tickOf(after)).isEqualTo(SNOWFLAKE.tickOf(before));
    }

    @Test
    void refusesTicksAboveTheLeaseCeilingWithoutWaiting() {
        final long now = tickNow();
        final AdjustableLease lease = new AdjustableLease(0, 3, -1, now);
        final SnowflakeGenerator g = new SnowflakeGenerator(SNOWFLAKE, lease, clock, DriftPolicy.DEFAULT);
        g.nextId();
        clock.advance(1);
        final long monotonicBefore = clock.monotonicNanos();
        assertThatThrownBy(g::nextId)
                .isInstanceOfSatisfying(MintRefusedException.class,
                        e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED))
                .hasMessage("tick " + (now + 1) + " is above the lease ceiling " + now
                        + " of worker 3 in datacenter 0; the lease must be renewed first");
        assertThat(clock.monotonicNanos()).isEqualTo(monotonicBefore);
        lease.raiseCeilingTick(now + 1);
        assertThat(SNOWFLAKE.tickOf(g.nextId())).isEqualTo(now + 1);
    }

    @Test
    void mintsOnlyAboveTheLeaseFloorEvenWhenTheClockIsBelowIt() {
        final long floor = tickNow() + 2;
        final AdjustableLease lease = new AdjustableLease(0, 3, floor, floor + 1000);
        final SnowflakeGenerator g = new SnowflakeGenerator(SNOWFLAKE, lease, clock, DriftPolicy.DEFAULT);
        assertThat(SNOWFLAKE.tickOf(g.nextId())).isEqualTo(floor + 1);
        assertThat(g.nextIds(100)).hasSize(100);
        assertThat(g.stats().clockBehindReadings()).as("a floor ahead of the clock is no backward step").isZero();
        assertThat(g.stats().maxBackwardDriftMillis()).isZero();
        clock.stepWall(-1);
        g.nextId();
        assertThat(g.stats().clockBehindReadings()).as("a real step back still counts").isEqualTo(1);
    }

    @Test
    void refusesAWholeBatchThatCannotFitUnderTheCeiling() {
        final long now = tickNow();
        final AdjustableLease lease = new AdjustableLease(0, 3, -1, now + 1);
        final SnowflakeGenerator g = new SnowflakeGenerator(SNOWFLAKE, lease, clock, DriftPolicy.DEFAULT);
        assertThatThrownBy(() -> g.nextIds(3 * 4096))
                .isInstanceOfSatisfying(MintRefusedException.class, e -> {
                    assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.CEILING_REACHED);
                    assertThat(e.mintedBeforeRefusal()).isEmpty();
                });
        assertThat(g.stats().idsMinted()).isZero();
        assertThat(g.nextIds(2 * 4096)).hasSize(2 * 4096);
    }

    @Test
    void reportsIdsMintedBeforeABatchWasRefusedMidway() {
        // The wall steps back 10 s between the batch's two claims: the second is refused under FAIL.
        final int[] wallReads = {0};
        final Clock stepsBackOnTheSixthRead = new Clock() {
            @Override
            public long wallMillis() {
                return clock.wallMillis() - (++wallReads[0] >= 6 ? 10_000 : 0);
            }

            @Override
            public long monotonicNanos() {
                return clock.monotonicNanos();
            }

            @Override
            public void pause(long nanos) {
                clock.pause(nanos);
            }
        };
        final SnowflakeGenerator g =
                new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 7), stepsBackOnTheSixthRead, DriftPolicy.fail());
        // read 1: the constructor's (where the clock stands before anything is minted)
        final long[] first = g.nextIds(4000); // reads 2 (batch check) and 3 (claim)
        assertThatThrownBy(() -> g.nextIds(200)) // reads 4 (check), 5 (first claim: 96 IDs), 6 (refused)
                .isInstanceOfSatisfying(MintRefusedException.class, e -> {
                    assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.CLOCK_BEHIND);
                    assertThat(e.mintedBeforeRefusal()).hasSize(96);
                    assertThat(e.mintedBeforeRefusal()[0]).isEqualTo(first[3999] + 1);
                });
        assertThat(g.stats().idsMinted()).isEqualTo(4096);
    }

    @Test
    void refusesPastTheEndOfTheTickField() {
        final BitLayout tiny = new BitLayout(20, 0, 31, 12, 1, START.toEpochMilli());
        clock.setWall(tiny.startMillisOf(tiny.maxTick()));
        final SnowflakeGenerator g = new SnowflakeGenerator(tiny, new StaticLease(0, 1), clock, DriftPolicy.fail());
        assertThat(g.nextIds(4096)).hasSize(4096);
        assertThatThrownBy(g::nextId)
                .isInstanceOfSatisfying(MintRefusedException.class,
                        e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.TICK_OVERFLOW))
                .hasMessageStartingWith("the tick field is spent: tick 1048576 does not fit 20 bits");
        clock.advance(1);
        assertThatThrownBy(g::nextId).hasMessageStartingWith("the tick field is spent");
    }

    @Test
    void sealedGeneratorRefusesAndReportsItsLastTick() {
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        final long id = g.nextId();
        clock.advance(5);
        assertThat(g.seal()).isEqualTo(SNOWFLAKE.tickOf(id));
        assertThat(g.seal()).isEqualTo(SNOWFLAKE.tickOf(id));
        assertThat(g.isSealed()).isTrue();
        assertThat(g.lastTick()).isEqualTo(SNOWFLAKE.tickOf(id));
        assertThatThrownBy(g::nextId).isInstanceOfSatisfying(MintRefusedException.class,
                e -> assertThat(e.cause()).isEqualTo(MintRefusedException.Cause.LEASE_NOT_HELD));
        assertThatThrownBy(() -> g.nextIds(10)).isInstanceOf(MintRefusedException.class);
        assertThat(g.stats().idsMinted()).as("the last tick's IDs still count once sealed").isEqualTo(1);
    }

    @Test
    void batchesAreConsecutiveInsideATickAndDecodeToTheirWorker() {
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        final long[] ids = g.nextIds(10_000);
        for (int i = 1; i < ids.length; i++) {
            assertThat(ids[i]).isGreaterThan(ids[i - 1]);
            if (SNOWFLAKE.tickOf(ids[i]) == SNOWFLAKE.tickOf(ids[i - 1])) {
                assertThat(ids[i]).isEqualTo(ids[i - 1] + 1);
            }
        }
        assertThat(Arrays.stream(ids).map(SNOWFLAKE::workerOf).distinct()).containsExactly(7L);
        assertThat(g.stats().batches()).isEqualTo(1);
        assertThat(g.stats().idsMinted()).isEqualTo(10_000);
    }

    @Test
    void rangesCoverTheRequestOneRangePerTick() {
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        g.nextId();
        final List<IdRange> ranges = g.nextRanges(10_000);
        assertThat(ranges).extracting(IdRange::count).containsExactly(4095L, 4096L, 1809L);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).firstId()).isGreaterThan(ranges.get(i - 1).lastId());
            assertThat(SNOWFLAKE.tickOf(ranges.get(i).firstId())).isEqualTo(SNOWFLAKE.tickOf(ranges.get(i).lastId()));
        }
    }

    @Test
    void rejectsInvalidArguments() {
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        assertThatThrownBy(() -> g.nextIds(0)).hasMessage("count must be in [1, 2147483639]: 0");
        assertThatThrownBy(() -> g.nextRanges(-3)).hasMessage("count must be at least 1: -3");
        assertThatThrownBy(() -> new SnowflakeGenerator(SNOWFLAKE, new StaticLease(0, 1024)))
                .hasMessage("workerId must be in [0, 1023]: 1024");
        assertThatThrownBy(() -> new SnowflakeGenerator(SNOWFLAKE, new StaticLease(1, 0)))
                .hasMessage("datacenterId must be in [0, 0]: 1");
        assertThatThrownBy(() -> new SnowflakeGenerator(SNOWFLAKE, new AdjustableLease(0, 0, 1L << 41, 0)))
                .hasMessage("lease floorTick must be in [-1, 2199023255551]: 2199023255552");
        assertThatThrownBy(() -> new AdjustableLease(0, 0, -2, 0)).hasMessage("floorTick must be at least -1: -2");
    }

    /** Four threads on the system clock: the contract under real contention and a real clock. */
    @Test
    void fourThreadsMintDistinctIdsEachIncreasing() throws Exception {
        final SnowflakeGenerator g = SnowflakeGenerator.embedded(SNOWFLAKE, 0, 1);
        final int perThread = 1_000_000;
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            final Callable<long[]> minter = () -> {
                final long[] ids = new long[perThread];
                for (int i = 0; i < perThread; i++) {
                    ids[i] = g.nextId();
                }
                return ids;
            };
            final List<Future<long[]>> futures = pool.invokeAll(List.of(minter, minter, minter, minter));
            final long[] all = new long[4 * perThread];
            int offset = 0;
            for (Future<long[]> f : futures) {
                final long[] ids = f.get();
                for (int i = 1; i < ids.length; i++) {
                    if (ids[i] <= ids[i - 1]) {
                        throw new AssertionError("thread's IDs decreased at " + i + ": " + ids[i - 1] + " then " + ids[i]);
                    }
                }
                System.arraycopy(ids, 0, all, offset, ids.length);
                offset += ids.length;
            }
            Arrays.sort(all);
            for (int i = 1; i < all.length; i++) {
                if (all[i] == all[i - 1]) {
                    throw new AssertionError("duplicate ID " + all[i]);
                }
            }
            assertThat(g.stats().idsMinted()).isEqualTo(4L * perThread);
        } finally {
            pool.shutdownNow();
        }
    }
}
