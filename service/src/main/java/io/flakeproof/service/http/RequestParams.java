package io.flakeproof.service.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads what a request asks for: {@code count}, {@code format}, an {@code {id}} segment, the
 * {@code Accept} header. Every bad value is a {@link RequestRejected} whose message names the value
 * and what was expected, such as {@code count must be in [1, 100000]: 100001}.
 */
final class RequestParams {

    /** Optional sign, then ASCII digits: what a whole number looks like before its range is checked. */
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    private RequestParams() {
    }

    /**
     * The {@code count} parameter, 1 when absent.
     *
     * @throws RequestRejected unless it is given once and is a whole number in [1, maxCount]
     */
    static int count(QueryStringDecoder uri, int maxCount) {
        final String text = single(uri, "count");
        return text == null ? 1 : (int) wholeNumber("count", text, 1, maxCount);
    }

    /**
     * Whether {@code format=string} asks for IDs as JSON strings (for clients whose numbers are
     * doubles, which hold integers exactly only up to 2^53); {@code format=number} is the default.
     *
     * @throws RequestRejected for any other format
     */
    static boolean idsAsStrings(QueryStringDecoder uri) {
        final String format = single(uri, "format");
        if (format == null || format.equals("number")) {
            return false;
        }
        if (format.equals("string")) {
            return true;
        }
        throw RequestRejected.badRequest("format must be number or string: '" + format + "'");
    }

    /**
     * The ID of a {@code /ids/{id}} path.
     *
     * @throws RequestRejected unless it is a whole number in [0, 2^63 - 1]
     */
    static long id(String segment) {
        return wholeNumber("id", segment, 0, Long.MAX_VALUE);
    }

    /** Whether one of the media ranges of {@code Accept} is exactly {@code application/octet-stream}. */
    static boolean acceptsOctetStream(HttpHeaders headers) {
        for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String range : accept.split(",")) {
                final int parameters = range.indexOf(';');
                final String type = (parameters < 0 ? range : range.substring(0, parameters)).trim();
                if (HttpHeaderValues.APPLICATION_OCTET_STREAM.contentEqualsIgnoreCase(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The value of a parameter given at most once; null when absent. */
    private static String single(QueryStringDecoder uri, String name) {
        final List<String> values = uri.parameters().get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw RequestRejected.badRequest(name + " must be given once: " + values);
        }
        return values.get(0);
    }

    /** A whole number in [min, max], whatever its length: the message quotes what was sent. */
    private static long wholeNumber(String name, String text, long min, long max) {
        final String bound = "[" + min + ", " + max + "]";
        if (!WHOLE_NUMBER.matcher(text).matches()) {
            throw RequestRejected.badRequest(name + " must be a whole number in " + bound + ": '" + text + "'");
        }
        final BigInteger value = new BigInteger(text);
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw RequestRejected.badRequest(name + " must be in " + bound + ": " + text);
        }
        return value.longValueExact();
    }
}
