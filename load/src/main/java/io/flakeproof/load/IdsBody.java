package io.flakeproof.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;

/** Reads the node's answer to {@code POST /ids}: {@code {"ids":[1,2,3]}}, IDs as numbers or as strings. */
final class IdsBody {

    private static final JsonFactory JSON = new JsonFactory();

    private IdsBody() {
    }

    /**
     * How many IDs the body holds, or -1 when it is not a JSON object with an {@code ids} array of
     * integers or strings (other fields are allowed and skipped).
     */
    static long countIds(InputStream body) {
        try (JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            long ids = -1;
            JsonToken token;
            while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
                final String field = json.currentName();
                token = json.nextToken();
                if (field.equals("ids") && token == JsonToken.START_ARRAY) {
                    ids = 0;
                    while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
                        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_STRING) {
                            return -1;
                        }
                        ids++;
                    }
                } else {
                    json.skipChildren();
                }
            }
            return token == JsonToken.END_OBJECT && json.nextToken() == null ? ids : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
