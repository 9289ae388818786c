package io.flakeproof.generator;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Composing and decoding, over every preset and random custom layouts. */
class BitLayoutProperties {

    record Parts(BitLayout layout, long tick, long datacenter, long worker, long sequence) {
        long id() {
            return layout.compose(tick, datacenter, worker, sequence);
        }
    }

    @Provide
    Arbitrary<Parts> parts() {
        return Layouts.presetsAndCustom().flatMap(layout -> Combinators.combine(
                Arbitraries.longs().between(0, layout.maxTick()),
                Arbitraries.longs().between(0, layout.maxDatacenterId()),
                Arbitraries.longs().between(0, layout.maxWorkerId()),
                Arbitraries.longs().between(0, layout.maxSequence()))
                .as((t, d, w, s) -> new Parts(layout, t, d, w, s)));
    }

    @Property(seed = "20261126")
    void decodeOfComposeGivesThePartsBack(@ForAll("parts") Parts p) {
        final DecodedId decoded = p.layout.decode(p.id());
        assertThat(p.id()).isNotNegative();
        assertThat(decoded.tick()).isEqualTo(p.tick);
        assertThat(decoded.datacenterId()).isEqualTo(p.datacenter);
        assertThat(decoded.workerId()).isEqualTo(p.worker);
        assertThat(decoded.sequence()).isEqualTo(p.sequence);
        assertThat(decoded.timestamp().toEpochMilli()).isEqualTo(p.layout.startMillisOf(p.tick));
    }

    @Property(seed = "20261126")
    void idsOrderByTickThenDatacenterWorkerAndSequence(@ForAll("parts") Parts a, @ForAll("parts") Parts raw) {
        // Re-home the second set of parts on the first layout so both IDs share it.
        final BitLayout layout = a.layout;
        final Parts b = new Parts(layout, raw.tick % (layout.maxTick() + 1), raw.datacenter % (layout.maxDatacenterId() + 1),
                raw.worker % (layout.maxWorkerId() + 1), raw.sequence % (layout.maxSequence() + 1));
        final int byParts = java.util.Comparator.comparingLong(Parts::tick)
                .thenComparingLong(Parts::datacenter)
                .thenComparingLong(Parts::worker)
                .thenComparingLong(Parts::sequence)
                .compare(a, b);
        assertThat(Integer.signum(Long.compare(a.id(), b.id()))).isEqualTo(Integer.signum(byParts));
    }
}
