package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The hand-written {@code {"ids":[...]}} answer is byte for byte what Jackson writes. */
class JsonBodiesProperties {

    @Property
    void idsAreWrittenExactlyAsJacksonWritesThem(
            @ForAll @Size(max = 40) List<@LongRange(min = 0) Long> list, @ForAll boolean asStrings) throws IOException {
        final long[] ids = list.stream().mapToLong(Long::longValue).toArray();
        assertThat(written(ids, asStrings)).isEqualTo(jackson(ids, asStrings));
    }

    @Test
    void theEdgesOfTheDigitCount() throws IOException {
        final long[] ids = {0, 9, 10, 99, 100, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L, Long.MAX_VALUE};
        assertThat(written(ids, false)).isEqualTo(jackson(ids, false))
                .isEqualTo("{\"ids\":[0,9,10,99,100,999999999999999999,1000000000000000000,9223372036854775807]}");
        assertThat(written(new long[0], true)).isEqualTo("{\"ids\":[]}");
    }

    @Test
    void aBodyOfManyBlocksIsWrittenWhole() throws IOException {
        final java.util.SplittableRandom random = new java.util.SplittableRandom(15);
        final long[] ids = random.longs(10_000, 0, Long.MAX_VALUE).toArray();
        ids[9_999] = Long.MAX_VALUE;
        assertThat(written(ids, false)).isEqualTo(jackson(ids, false));
        assertThat(written(ids, true)).isEqualTo(jackson(ids, true));
    }

    private static String written(long[] ids, boolean asStrings) {
        final ByteBuf buffer = JsonBodies.ids(UnpooledByteBufAllocator.DEFAULT, ids, asStrings);
        try {
            return buffer.toString(StandardCharsets.US_ASCII);
        } finally {
            buffer.release();
        }
    }

    private static String jackson(long[] ids, boolean asStrings) throws IOException {
        final StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("ids");
            for (long id : ids) {
                if (asStrings) {
                    json.writeString(Long.toString(id));
                } else {
                    json.writeNumber(id);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toString();
    }
}
