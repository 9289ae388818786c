package io.flakeproof.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded JSON reader for the node's answers: the client has no dependencies, so it reads
 * JSON itself. Values come out as {@link Map} (objects), {@link List} (arrays), {@link String},
 * {@link Long} (integers that fit a long), {@link Double} (other numbers), {@link Boolean} and
 * {@link #NULL}. Anything else (trailing text, duplicate keys, an integer beyond a long, nesting
 * deeper than {@value #MAX_DEPTH}) is a {@link MalformedAnswerException}, because an answer the client
 * cannot read with certainty must not become IDs.
 */
final class Json {

    /** JSON's null, distinct from a missing key. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** The node's answers nest three deep; anything much deeper is not one of them. */
    private static final int MAX_DEPTH = 8;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** The one value that {@code text} holds. */
    static Object parse(String text) {
        final Json json = new Json(text);
        final Object value = json.value(0);
        json.skipWhitespace();
        if (json.pos != text.length()) {
            throw json.malformed("text after the value");
        }
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw malformed("nesting deeper than " + MAX_DEPTH);
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw malformed("end of text where a value was expected");
        }
        final char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw malformed("unexpected '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) {
        final Map<String, Object> members = new LinkedHashMap<>();
        pos++; // '{'
        skipWhitespace();
        if (peek('}')) {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (!peek('"')) {
                throw malformed("expected a member name");
            }
            final String key = string();
            skipWhitespace();
            expect(':');
            if (members.put(key, value(depth + 1)) != null) {
                throw malformed("duplicate member '" + key + "'");
            }
            skipWhitespace();
            if (peek(',')) {
                pos++;
            } else {
                expect('}');
                return members;
            }
        }
    }

    private List<Object> array(int depth) {
        final List<Object> items = new ArrayList<>();
        pos++; // '['
        skipWhitespace();
        if (peek(']')) {
            pos++;
            return items;
        }
        while (true) {
            items.add(value(depth + 1));
            skipWhitespace();
            if (peek(',')) {
                pos++;
            } else {
                expect(']');
                return items;
            }
        }
    }

    private String string() {
        pos++; // '"'
        final StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            final char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw malformed("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                break;
            }
            final char escaped = text.charAt(pos++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw malformed("short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException e) {
                        throw malformed("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw malformed("bad escape '\\" + escaped + "'");
            }
        }
        throw malformed("unterminated string");
    }

    private Object number() {
        final int start = pos;
        if (peek('-')) {
            pos++;
        }
        boolean integral = true;
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        final String digits = text.substring(start, pos);
        try {
            if (integral) {
                if (digits.length() > 1 && digits.charAt(digits.charAt(0) == '-' ? 1 : 0) == '0') {
                    throw malformed("leading zero in " + digits);
                }
                return Long.parseLong(digits);
            }
            return Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw malformed("not a number that fits a long or a double: " + digits);
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw malformed("unexpected text");
        }
        pos += word.length();
        return value;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw malformed("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private MalformedAnswerException malformed(String what) {
        return new MalformedAnswerException("not well-formed JSON at offset " + pos + ": " + what);
    }
}
