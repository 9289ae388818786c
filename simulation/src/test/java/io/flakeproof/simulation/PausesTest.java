package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Time moves while a generator waits: a pause runs the events due meanwhile, so WAIT finishes. A pause
 * is a thread of the node's process sleeping: it does not end while the process is stopped, and a
 * thread of a process that died never resumes.
 */
class PausesTest {

    private static final BitLayout LAYOUT = BitLayout.snowflake();

    private final World world = new World(new Params(1, "static-config", DriftPolicy.DEFAULT, Scenario.MIXED, 1, 4,
            8, 60_000_000_000L, 3000, 2000, 1000, 100, 1, 16, 100_000, 200_000, 0, 0, 0, 0, 0, 0), List.of(), false);
    private final SimNode node = new SimNode(world, 0, "node-0", new SimClock(world.sim(), 0), new SplittableRandom(1),
            null);

    /** A generator on worker 1 whose lease's ceiling read can stop its caller (the check-CAS pause). */
    private SnowflakeGenerator generator(DriftPolicy policy) {
        return new SnowflakeGenerator(LAYOUT, new PausingLease(new StaticLease(0, 1), node), node.processClock(), policy);
    }

    @Test
    void aGeneratorWaitingForItsClockLetsVirtualTimeAndOtherEventsPass() {
        final SnowflakeGenerator g = generator(DriftPolicy.waitUpTo(Duration.ofSeconds(1)));
        final long first = g.nextId();
        node.clock().step(-50_000_000); // 50 ms back
        final boolean[] ran = new boolean[1];
        world.sim().after(20_000_000, () -> ran[0] = true);
        final long before = world.sim().now();
        final long second = g.nextId();
        assertThat(second).isGreaterThan(first);
        assertThat(world.sim().now() - before).as("virtual time waited for the clock").isBetween(50_000_000L, 52_000_000L);
        assertThat(ran[0]).as("an event due during the wait ran").isTrue();
    }

    /** Regression: a caller's pause that ended while its process was stopped minted at once, inside the stop. */
    @ParameterizedTest(name = "VM suspend: {0}")
    @ValueSource(booleans = {false, true})
    void aCallerPausedAcrossTheCasDoesNotMintWhileItsProcessIsStopped(boolean vmSuspend) {
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        node.pauseNextCheckCas(100_000_000); // the caller stops for 100 ms after reading the ceiling
        world.sim().after(50_000_000, () -> node.pause(2_000_000_000L, vmSuspend)); // the process stops for 2 s
        g.nextId();
        assertThat(world.sim().now()).as("the CAS ran only once the process had resumed, at 2.05 s")
                .isGreaterThanOrEqualTo(2_050_000_000L);
    }

    /** Regression: a caller of a crashed process went on to its CAS and minted after the crash. */
    @Test
    void aCallerOfACrashedProcessNeverResumes() {
        node.start();
        final SnowflakeGenerator g = generator(DriftPolicy.DEFAULT);
        node.pauseNextCheckCas(100_000_000);
        world.sim().after(50_000_000, () -> node.crash(1_000_000_000L, 0));
        assertThatThrownBy(g::nextId).isInstanceOf(SimNode.ProcessGone.class);
        assertThat(g.stats().idsMinted()).as("no ID minted by the dead process's caller").isZero();
    }

    @Test
    void anEventBudgetStopsARunThatWouldNotEnd() {
        final Sim sim = new Sim(10);
        final Runnable[] again = new Runnable[1];
        again[0] = () -> sim.after(1, again[0]);
        sim.after(1, again[0]);
        assertThatThrownBy(() -> sim.runUntil(1_000_000))
                .isInstanceOf(Sim.TooManyEvents.class).hasMessage("more than 10 events in one run");
    }
}
