package io.flakeproof.generator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.Lease;
import io.flakeproof.generator.ManualClock;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stateful property test of the lease: seeded chains of random actions (store operations delivered,
 * dropped, applied with their acknowledgement lost or read stale; sessions suspended, expired and
 * lost; clocks stepped both ways; mints up to the ceiling; releases, crashes and restarts; holders
 * configured with one name) against 2 or 3 holders on a one- or two-worker layout. After every
 * step: every ID distinct, and each worker's holders minted in disjoint tick intervals.
 *
 * <p>CI runs the fixed seeds below; {@code -Dflakeproof.chains=N} runs seeds 1 to N instead.
 */
class LeaseChainsTest {

    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMillis(300);
    private static final int STEPS = 400;
    /** A connection lost with an operation in flight: more often before it was applied than after. */
    private static final MemoryLeaseStore.Fault[] FAULTS = {MemoryLeaseStore.Fault.DROP, MemoryLeaseStore.Fault.DROP,
        MemoryLeaseStore.Fault.LOSE_ACK, MemoryLeaseStore.Fault.STALE};

    static LongStream seeds() {
        return LongStream.range(1, 1 + Long.getLong("flakeproof.chains", 200));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void holdersOfOneWorkerMintInDisjointTickIntervals(long seed) {
        new World(seed, false).run();
    }

    /** Negative control: over a store whose writes ignore their expected version, the chains find a collision. */
    @Test
    void theChainsCatchAStoreThatDoesNotFence() {
        final long found = LongStream.range(1, 2001).filter(seed -> {
            try {
                new World(seed, true).run();
                return false;
            } catch (AssertionError expected) {
                return true;
            }
        }).findFirst().orElse(-1);
        assertThat(found).as("a seed in 1..2000 whose chain collides").isPositive();
    }

    /** One process start: its lease holder and its session. */
    private static final class Proc {
        final String name;
        final ManualClock clock;
        final MemoryLeaseStore.Driver driver;
        boolean closed;

        Proc(String name, ManualClock clock, BitLayout layout, MemoryLeaseStore store, Random random,
                ClusterPolicy cluster) {
            this.name = name;
            this.clock = clock;
            final LeaseCore core = new LeaseCore(layout, 0, name, clock, random, WINDOW, Duration.ofMillis(100),
                    Duration.ofMillis(50), cluster);
            this.driver = new MemoryLeaseStore.Driver(new LeaseHolder(layout, core, clock, DriftPolicy.fail()),
                    store.session());
        }

        SnowflakeGenerator generator() {
            return driver.holder.generator();
        }
    }

    private static final class World {
        final long seed;
        final Random random;
        final BitLayout layout;
        final ManualClock leader = new ManualClock(START);
        final MemoryLeaseStore store;
        final List<Proc> procs = new ArrayList<>();
        final Set<Long> ids = new HashSet<>();
        /**
         * Per term (by its lease: two terms may claim one worker and epoch), the ticks it may have minted
         * in: from above its floor to the highest tick it minted.
         */
        final Map<Lease, long[]> minted = new IdentityHashMap<>();
        final List<String> trace = new ArrayList<>();
        /** Sessions of crashed processes, alive on the server until the session timeout: when each expires. */
        final Map<MemoryLeaseStore.Session, Long> orphans = new IdentityHashMap<>();
        final long sessionTimeoutMillis;
        final double faultRate;
        final ManualClock sharedHostClock = new ManualClock(START);
        int started;

        World(long seed, boolean unfenced) {
            this.seed = seed;
            this.random = new Random(seed);
            this.store = new MemoryLeaseStore(leader, unfenced);
            final double[] rates = {0.05, 0.2, 0.4};
            this.faultRate = rates[random.nextInt(rates.length)];
            this.sessionTimeoutMillis = 100 + random.nextInt(500);
            final int workerBits = random.nextInt(2);
            // Long ticks make holders whose clocks differ a little compute the same ceilings.
            final long[] tickMillis = {1, 10, 50};
            this.layout = new BitLayout(41, 0, workerBits, 22 - workerBits, tickMillis[random.nextInt(3)],
                    BitLayout.DEFAULT_EPOCH.toEpochMilli());
            final int holders = 2 + random.nextInt(2);
            for (int i = 0; i < holders; i++) {
                procs.add(start(i, random.nextBoolean()));
            }
        }

        Proc start(int slot, boolean sameName) {
            final String name = sameName ? "same" : "h" + slot + "-" + started++;
            // Processes started with one configuration run side by side on one host (containers): one clock.
            final ManualClock clock = sameName ? sharedHostClock
                    : new ManualClock(leader.wallMillis() + (random.nextBoolean() ? 0 : random.nextInt(101) - 50));
            // A restarted process keeps its data directory, and so the cluster id it joined.
            final ClusterRecord joined = slot < procs.size() ? procs.get(slot).driver.core.cluster() : null;
            final Proc p = new Proc(name, clock, layout, store, random,
                    new ClusterPolicy("c", joined == null ? null : joined.clusterId(), false));
            trace.add("start " + slot + " as " + name);
            handle(p, p.driver.holder.start());
            return p;
        }

        void run() {
            for (int step = 0; step < STEPS; step++) {
                final int i = random.nextInt(procs.size());
                final Proc p = procs.get(i);
                final int action = random.nextInt(100);
                if (action < 35 || action >= 91) {
                    deliver(p, i);
                } else if (action < 52) {
                    mint(p, i);
                } else if (action < 64) {
                    final long ms = 1 + random.nextInt(120);
                    leader.advance(ms);
                    procs.stream().map(q -> q.clock).distinct().forEach(c -> c.advance(ms));
                    trace.add("time +" + ms + " ms");
                    expireOrphans();
                    procs.forEach(q -> handle(q, q.driver.holder.onWake()));
                } else if (action < 70) {
                    if (random.nextBoolean()) {
                        final long[] steps = {-1, -5, -WINDOW.toMillis(), 5, WINDOW.toMillis(), 150};
                        final long delta = steps[random.nextInt(steps.length)];
                        p.clock.stepWall(delta);
                        trace.add("clock " + i + " steps " + delta + " ms");
                    } else {
                        // NTP sets the clock back in line with the registry's, give or take a little.
                        p.clock.setWall(leader.wallMillis() + random.nextInt(21) - 10);
                        trace.add("clock " + i + " corrected");
                    }
                } else if (action < 74) {
                    trace.add("suspend " + i);
                    handle(p, p.driver.holder.onSuspended());
                } else if (action < 78) {
                    trace.add("reconnect " + i);
                    handle(p, p.driver.holder.onReconnected());
                } else if (action < 81) {
                    trace.add("server expires session of " + i);
                    store.expire(p.driver.session);
                } else if (action < 85) {
                    if (p.driver.session.expired) {
                        trace.add("session lost seen by " + i);
                        p.driver.session = store.session();
                        handle(p, p.driver.holder.onSessionLost());
                    }
                } else if (action < 88) {
                    release(p, i);
                } else if (action < 90) {
                    trace.add("crash and restart " + i + " (old session lingers)");
                    orphan(p);
                    procs.set(i, start(i, random.nextBoolean()));
                } else if (action < 91) {
                    // A deploy mistake: two processes started at once from one configuration on one host.
                    final int j = (i + 1) % procs.size();
                    trace.add("crash " + i + " and " + j + "; both restart with one configuration");
                    orphan(p);
                    orphan(procs.get(j));
                    procs.set(i, start(i, true));
                    procs.set(j, start(j, true));
                }
            }
        }

        void orphan(Proc p) {
            orphans.put(p.driver.session, leader.wallMillis() + sessionTimeoutMillis);
        }

        void expireOrphans() {
            orphans.entrySet().removeIf(e -> {
                if (e.getValue() <= leader.wallMillis()) {
                    trace.add("a crashed process's session expires");
                    store.expire(e.getKey());
                    return true;
                }
                return false;
            });
        }

        void deliver(Proc p, int i) {
            if (!p.driver.session.results.isEmpty()) {
                final Object[] r = p.driver.session.results.remove();
                trace.add(p.name + " gets " + r[1]);
                handle(p, p.driver.holder.onResult((Long) r[0], (StoreResult) r[1]));
            }
            if (p.closed && p.driver.core.phase() == LeaseCore.Phase.CLOSED) {
                // Released: the shell closes its client, which ends the session; the process starts again.
                trace.add("released " + i + " closes its session and restarts");
                store.expire(p.driver.session);
                procs.set(i, start(i, random.nextBoolean()));
            }
        }

        void handle(Proc p, List<LeaseCommand> commands) {
            // Each store operation meets a fault at this world's rate: dropped, applied with its
            // acknowledgement lost, or (a read) answered from the record's previous version.
            for (LeaseCommand c : commands) {
                if (c instanceof LeaseCommand.StoreOp) {
                    p.driver.session.plan.add(random.nextDouble() >= faultRate ? MemoryLeaseStore.Fault.NONE
                            : FAULTS[random.nextInt(FAULTS.length)]);
                }
            }
            p.driver.send(commands);
        }

        void mint(Proc p, int i) {
            final SnowflakeGenerator g = p.generator();
            if (g == null) {
                return;
            }
            final int n = 1 + random.nextInt(3000);
            int got = 0;
            try {
                for (int k = 0; k < n; k++) {
                    final long id = g.tryNextId();
                    if (id == SnowflakeGenerator.WOULD_WAIT) {
                        break;
                    }
                    record(p, g, id);
                    got++;
                }
            } catch (MintRefusedException e) {
                // the ceiling, the clock or a seal: nothing minted
            }
            trace.add(i + " minted " + got);
            check();
        }

        void release(Proc p, int i) {
            if (p.closed) {
                return;
            }
            p.closed = true;
            trace.add("release " + i);
            p.driver.send(p.driver.holder.release());
        }

        void record(Proc p, SnowflakeGenerator g, long id) {
            if (!ids.add(id)) {
                fail("duplicate ID " + id + " (worker " + layout.workerOf(id) + ", tick " + layout.tickOf(id) + ") from "
                        + p.name);
            }
            final long tick = layout.tickOf(id);
            final Lease lease = g.lease();
            if (tick <= lease.floorTick()) {
                fail("tick " + tick + " minted at or below the floor " + lease.floorTick() + " by " + p.name);
            }
            final long[] range = minted.computeIfAbsent(lease, k -> new long[] {k.floorTick() + 1, tick});
            range[1] = Math.max(range[1], tick);
        }

        void check() {
            final Map<Long, List<long[]>> byWorker = new HashMap<>();
            minted.forEach((lease, v) -> byWorker.computeIfAbsent(lease.workerId(), w -> new ArrayList<>()).add(v));
            byWorker.forEach((w, ranges) -> {
                for (int a = 0; a < ranges.size(); a++) {
                    for (int b = a + 1; b < ranges.size(); b++) {
                        final long[] x = ranges.get(a);
                        final long[] y = ranges.get(b);
                        if (x[0] <= y[1] && y[0] <= x[1]) {
                            fail("worker " + w + ": two terms minted in overlapping ticks [" + x[0] + ", " + x[1]
                                    + "] and [" + y[0] + ", " + y[1] + "]");
                        }
                    }
                }
            });
        }

        void fail(String what) {
            final List<String> tail = trace.subList(Math.max(0, trace.size() - 40), trace.size());
            throw new AssertionError("seed " + seed + ": " + what + "\nlast steps:\n  " + String.join("\n  ", tail));
        }
    }
}
