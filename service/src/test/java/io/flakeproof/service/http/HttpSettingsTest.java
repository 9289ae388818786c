package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpSettingsTest {

    @Test
    void defaultsToLoopbackPort8080AHundredThousandIdsAnd64KiB() {
        assertThat(HttpSettings.defaults()).isEqualTo(new HttpSettings("127.0.0.1", 8080, 100_000, 65_536));
    }

    @Test
    void boundsEachClientByDefaultTo1024Connections16PipelinedRequestsAndTimeoutsOf10sAnd60s() {
        final HttpSettings defaults = HttpSettings.defaults();

        assertThat(defaults.maxConnections()).isEqualTo(1024);
        assertThat(defaults.maxPipelined()).isEqualTo(16);
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @ParameterizedTest(name = "{4}")
    @CsvSource(delimiter = '|', value = {
        "0       | 16   | 10000   | 60000    | maxConnections must be in [1, 1000000]: 0",
        "1000001 | 16   | 10000   | 60000    | maxConnections must be in [1, 1000000]: 1000001",
        "1024    | 0    | 10000   | 60000    | maxPipelined must be in [1, 1024]: 0",
        "1024    | 1025 | 10000   | 60000    | maxPipelined must be in [1, 1024]: 1025",
        "1024    | 16   | 0       | 60000    | requestTimeout must be in [1ms, 1h]: 0ms",
        "1024    | 16   | 3600001 | 60000    | requestTimeout must be in [1ms, 1h]: 3600001ms",
        "1024    | 16   | 10000   | 0        | idleTimeout must be in [1ms, 24h]: 0ms",
        "1024    | 16   | 10000   | 86400001 | idleTimeout must be in [1ms, 24h]: 86400001ms",
    })
    void rejectsAClientBoundOutOfRangeNamingItAndTheBound(int maxConnections, int maxPipelined, long requestMillis,
            long idleMillis, String message) {
        assertThatThrownBy(() -> HttpSettings.defaults().withClientBounds(maxConnections, maxPipelined,
                Duration.ofMillis(requestMillis), Duration.ofMillis(idleMillis)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void boundsTheAnswersHeldByTheWholeNodeTo256MiBByDefault() {
        assertThat(HttpSettings.defaults().maxAnswerBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(HttpSettings.defaults().withMaxAnswerBytes(1 << 20).maxAnswerBytes()).isEqualTo(1 << 20);
        assertThatThrownBy(() -> HttpSettings.defaults().withMaxAnswerBytes((1 << 20) - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAnswerBytes must be in [1048576, 68719476736]: 1048575");
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
