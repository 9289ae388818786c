package io.flakeproof.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.DriftPolicy;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fenced protocol, with each drift policy, over a few seeds of every scenario: no violation. The
 * campaigns CI and the report run are larger; this keeps the module's own build honest. A rolled-back
 * ensemble is outside the protocol's assumptions: {@code NegativeControlsTest} shows it colliding.
 */
class FencedCampaignTest {

    @ParameterizedTest
    @EnumSource(value = Scenario.class, names = "ROLLBACK", mode = EnumSource.Mode.EXCLUDE)
    void noSeedOfAnyScenarioCollides(Scenario scenario) throws InterruptedException {
        for (DriftPolicy policy : new DriftPolicy[] {DriftPolicy.DEFAULT, DriftPolicy.fail(),
                DriftPolicy.waitUpTo(Duration.ofMillis(500))}) {
            final Campaign.Totals t = Campaign.run(new Campaign.Spec("fenced", policy, scenario, 1, 4, 2,
                    Params.Overrides.NONE), (d, i, v) -> { });
            assertThat(t.violatingSeeds).as("%s under %s", scenario, policy).isZero();
            assertThat(t.unfinished).isZero();
            assertThat(t.idsChecked).isPositive();
        }
    }
}
