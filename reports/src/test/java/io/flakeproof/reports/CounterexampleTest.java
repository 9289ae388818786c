package io.flakeproof.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CounterexampleTest {

    @Test
    void readsHoldersFaultsAndBothMintsFromASimulatorTimeline() throws Exception {
        final JsonNode campaign = Fixtures.JSON.readTree(Fixtures.quickRun()
                .resolve("simulation/ephemeral-only-pause-absorb_5ms_1s.json").toFile());

        final Counterexample ce = Counterexample.of(campaign.path("violations").get(0));

        assertThat(ce.duplicateMints()).hasSize(2);
        assertThat(ce.duplicateMints().stream().map(Counterexample.Mint::node).distinct()).hasSize(2);
        assertThat(ce.faults()).isNotEmpty();
        assertThat(ce.holds()).extracting(Counterexample.Hold::label).anyMatch(l -> l.contains("holds worker"));
        assertThat(ce.holds()).allMatch(h -> h.fromSeconds() <= h.toSeconds());
        assertThat(ce.offsets()).isNotEmpty();
        assertThat(ce.nodeCount()).isGreaterThanOrEqualTo(2);
    }
}
