package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.DriftPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every naive protocol collides in the scenario that fits its flaw: the simulator finds it, shrinks it
 * to a few faults, and the shrunk schedule replays it from the seed. A checker that found nothing here
 * would be a checker that cannot fail. So does {@code fenced} under a rolled-back ensemble, outside its
 * durability assumption.
 */
class NegativeControlsTest {

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource({
        "static-config, IDENTITY, 30",
        "ephemeral-only, PAUSE, 30",
        "seed-quarantine, PAUSE, 150",
        "leaf-like, CRASH, 30",
        "fenced-no-cluster-check, ZOOKEEPER, 30",
        "fenced, ROLLBACK, 10",
    })
    void isCaughtShrunkAndReplayed(String protocol, Scenario scenario, int seeds) {
        RunResult found = null;
        for (long seed = 1; seed <= seeds && found == null; seed++) {
            final Params p = Params.draw(seed, protocol, DriftPolicy.DEFAULT, scenario, Params.Overrides.NONE);
            final RunResult r = new World(p, scenario.draw(p), false).run();
            if (r.violated()) {
                found = r;
            }
        }
        assertThat(found).as("a violation of %s within %d seeds of %s", protocol, seeds, scenario).isNotNull();
        final Shrinker.Shrunk shrunk = Shrinker.shrink(found.params(), found.faults());
        assertThat(shrunk.kept()).as("shrunk schedule").hasSizeLessThanOrEqualTo(5);
        assertThat(shrunk.replay().violated()).as("the shrunk schedule replays the violation").isTrue();
        assertThat(Shrinker.run(found.params(), found.faults(), shrunk.kept(), false).ids())
                .as("deterministically").isEqualTo(Shrinker.run(found.params(), found.faults(), shrunk.kept(), false).ids());
        assertThat(shrunk.replay().explanation()).isNotEmpty();
    }
}
