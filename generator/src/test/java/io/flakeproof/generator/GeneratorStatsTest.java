package io.flakeproof.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GeneratorStatsTest {

    @Test
    void plusSumsTheCountsAndKeepsTheLargerDrift() {
        final GeneratorStats a = new GeneratorStats(10, 1, 2, 3, 4, 50, 600, new long[] {1, 0, 2, 0});
        final GeneratorStats b = new GeneratorStats(5, 2, 0, 1, 1, 20, 400, new long[] {0, 3, 1, 1});
        final GeneratorStats sum = GeneratorStats.NONE.plus(a).plus(b);
        assertThat(sum).usingRecursiveComparison()
                .isEqualTo(new GeneratorStats(15, 3, 2, 4, 5, 50, 1000, new long[] {1, 3, 3, 1}));
        assertThat(sum.refusalsByCause()).containsExactly(1, 3, 3, 1);
    }
}
