package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.generator.StaticLease;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Time moves while a generator waits: a pause runs the events due meanwhile, so WAIT finishes. */
class PausesTest {

    @Test
    void aGeneratorWaitingForItsClockLetsVirtualTimeAndOtherEventsPass() {
        final Sim sim = new Sim(1_000_000);
        final SimClock clock = new SimClock(sim, 0);
        final BitLayout layout = BitLayout.snowflake();
        final SnowflakeGenerator g = new SnowflakeGenerator(layout, new StaticLease(0, 1), clock,
                DriftPolicy.waitUpTo(Duration.ofSeconds(1)));
        final long first = g.nextId();
        clock.step(-50_000_000); // 50 ms back
        final boolean[] ran = new boolean[1];
        sim.after(20_000_000, () -> ran[0] = true);
        final long before = sim.now();
        final long second = g.nextId();
        assertThat(second).isGreaterThan(first);
        assertThat(sim.now() - before).as("virtual time waited for the clock").isBetween(50_000_000L, 52_000_000L);
        assertThat(ran[0]).as("an event due during the wait ran").isTrue();
    }

    @Test
    void anEventBudgetStopsARunThatWouldNotEnd() {
        final Sim sim = new Sim(10);
        final Runnable[] again = new Runnable[1];
        again[0] = () -> sim.after(1, again[0]);
        sim.after(1, again[0]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.runUntil(1_000_000))
                .isInstanceOf(Sim.TooManyEvents.class).hasMessage("more than 10 events in one run");
    }
}
