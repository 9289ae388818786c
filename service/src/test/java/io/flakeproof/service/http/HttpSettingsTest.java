package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpSettingsTest {

    @Test
    void defaultsToLoopbackPort8080AHundredThousandIdsAnd64KiB() {
        assertThat(HttpSettings.defaults()).isEqualTo(new HttpSettings("127.0.0.1", 8080, 100_000, 65_536));
    }

    @Test
    void acceptsTheBoundsThemselves() {
        assertThat(new HttpSettings("0.0.0.0", 0, 1, 0).maxCount()).isEqualTo(1);
        assertThat(new HttpSettings("::1", 65_535, 1_000_000, 16 * 1024 * 1024).maxCount()).isEqualTo(1_000_000);
    }

    @ParameterizedTest(name = "{4}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1 | -1    | 100       | 1024     | port must be in [0, 65535]: -1",
        "127.0.0.1 | 65536 | 100       | 1024     | port must be in [0, 65535]: 65536",
        "127.0.0.1 | 0     | 0         | 1024     | maxCount must be in [1, 1000000]: 0",
        "127.0.0.1 | 0     | 1000001   | 1024     | maxCount must be in [1, 1000000]: 1000001",
        "127.0.0.1 | 0     | 100       | -1       | maxRequestBytes must be in [0, 16777216]: -1",
        "127.0.0.1 | 0     | 100       | 16777217 | maxRequestBytes must be in [0, 16777216]: 16777217",
        "' '       | 0     | 100       | 1024     | bind must be an address such as 127.0.0.1: ' '",
    })
    void rejectsAValueOutOfRangeNamingItAndTheBound(String bind, int port, int maxCount, int maxRequestBytes,
            String message) {
        assertThatThrownBy(() -> new HttpSettings(bind, port, maxCount, maxRequestBytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
