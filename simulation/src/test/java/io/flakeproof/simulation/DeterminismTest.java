package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.DriftPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed and code give the same history, whatever the thread count. */
class DeterminismTest {

    private static RunResult run(long seed, Scenario scenario) {
        final Params p = Params.draw(seed, "fenced", DriftPolicy.DEFAULT, scenario, Params.Overrides.NONE);
        return new World(p, scenario.draw(p), true).run();
    }

    private static int traceHash(RunResult r) {
        return r.timeline().stream().map(Timeline.Entry::toString).toList().hashCode();
    }

    @Test
    void aSeedRunTwiceGivesTheSameTrace() {
        for (long seed : new long[] {3, 17}) {
            final RunResult a = run(seed, Scenario.MIXED);
            final RunResult b = run(seed, Scenario.MIXED);
            assertThat(a.timeline()).isNotEmpty();
            assertThat(traceHash(a)).isEqualTo(traceHash(b));
            assertThat(a.events()).isEqualTo(b.events());
            assertThat(a.ids()).isEqualTo(b.ids());
            assertThat(a.coverage().counts()).isEqualTo(b.coverage().counts());
        }
    }

    @Test
    void differentSeedsGiveDifferentHistories() {
        assertThat(traceHash(run(3, Scenario.MIXED))).isNotEqualTo(traceHash(run(4, Scenario.MIXED)));
    }

    @Test
    void aCampaignsTotalsDoNotDependOnItsThreads() throws InterruptedException {
        final Campaign.Totals one = Campaign.run(new Campaign.Spec("fenced", DriftPolicy.DEFAULT, Scenario.PAUSE, 1, 6,
                1, Params.Overrides.NONE), (d, i, v) -> { });
        final Campaign.Totals two = Campaign.run(new Campaign.Spec("fenced", DriftPolicy.DEFAULT, Scenario.PAUSE, 1, 6,
                2, Params.Overrides.NONE), (d, i, v) -> { });
        assertThat(List.of(one.idsChecked, one.events, one.served, one.violatingSeeds))
                .isEqualTo(List.of(two.idsChecked, two.events, two.served, two.violatingSeeds));
        assertThat(one.coverage.counts()).isEqualTo(two.coverage.counts());
    }
}
