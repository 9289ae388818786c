package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdsBodyTest {

    @ParameterizedTest(name = "{0} holds {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"ids\":[1,2,3]}                      | 3",
        "{\"ids\":[\"1\",\"2\"]}                | 2",
        "{\"ids\":[]}                           | 0",
        "{\"node\":{\"worker\":1},\"ids\":[7]}  | 1",
        "{\"ids\":[1,2,3]                       | -1",
        "{\"ids\":[1,{\"x\":2}]}                | -1",
        "{\"ids\":[1.5]}                        | -1",
        "{\"error\":\"sealed\"}                 | -1",
        "[1,2,3]                                | -1",
        "{\"ids\":[1]} {\"ids\":[2]}            | -1",
        "not json                               | -1",
    })
    void countsTheIdsOfAWellFormedBodyOnly(String body, long expected) {
        assertThat(IdsBody.countIds(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected);
    }
}
