package io.flakeproof.generator;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The layouts every contract test runs over: each preset and random custom layouts. */
final class Layouts {

    private Layouts() {
    }

    /** Every preset, then random custom layouts T/D/W/S with a 1..1000 ms tick. */
    static Arbitrary<BitLayout> presetsAndCustom() {
        return Arbitraries.oneOf(Arbitraries.of(List.copyOf(BitLayout.presets().values())), custom());
    }

    /** Random custom layouts: 20..45 tick bits, up to 5 datacenter bits, up to 22 sequence bits. */
    static Arbitrary<BitLayout> custom() {
        final Arbitrary<Integer> tickBits = Arbitraries.integers().between(20, 45);
        final Arbitrary<Integer> datacenterBits = Arbitraries.integers().between(0, 5);
        final Arbitrary<Long> tickMillis = Arbitraries.of(1L, 2L, 10L, 1000L);
        return Combinators.combine(tickBits, datacenterBits, tickMillis).flatAs((t, d, ms) ->
                Arbitraries.integers().between(0, Math.min(22, 63 - t - d)).map(s ->
                        new BitLayout(t, d, 63 - t - d - s, s, ms, BitLayout.DEFAULT_EPOCH.toEpochMilli())));
    }

    static Map<String, BitLayout> presets() {
        return BitLayout.presets();
    }
}
