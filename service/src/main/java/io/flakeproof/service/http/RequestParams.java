package io.flakeproof.service.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads what a request asks for: its path, {@code count}, {@code format}, an {@code {id}} segment, the
 * {@code Accept} header. Every bad value is a {@link RequestRejected} whose message names the value
 * and what was expected, such as {@code count must be in [1, 100000]: 100001}.
 */
final class RequestParams {

    /** Optional sign, then ASCII digits: what a whole number looks like before its range is checked. */
    /** 18 decimal digits always fit a long: the fast path of {@link #wholeNumber} reads up to this many. */
    private static final int MAX_FAST_DIGITS = 18;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    /** {@code %2F} in either case: an encoded {@code /}. */
    private static final Pattern ENCODED_SLASH = Pattern.compile("%2[Ff]");

    /** RFC 9110's qvalue: {@code 0(.ddd)} or {@code 1(.000)}, the bound of 1 checked apart. */
    private static final Pattern Q_VALUE = Pattern.compile("[01](\\.[0-9]{0,3})?");

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

    /**
     * The path of the request target, percent-decoded, to route on.
     *
     * @throws RequestRejected when the path encodes a {@code /} ({@code %2F}: decoded before routing, it
     *                         would reach a route that a rule written against raw paths does not expect)
     *                         or holds a malformed percent-encoding
     */
    static String path(QueryStringDecoder uri) {
        final String raw = uri.rawPath();
        if (raw.indexOf('%') >= 0 && ENCODED_SLASH.matcher(raw).find()) {
            throw RequestRejected.badRequest("the path must not encode '/' (%2F): '" + raw + "'");
        }
        try {
            return uri.path();
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("malformed percent-encoding in the path: '" + raw + "'");
        }
    }

    /**
     * Whether the {@code Accept} header prefers {@code application/octet-stream} to {@code application/json}.
     * Each type takes the q-value of the most specific media range that matches it (the type itself, then
     * {@code application/*}, then {@code *}{@code /*}), and 0 when none does. Octet-stream wins when its
     * q-value is above 0 and above JSON's, or equal to JSON's from a more specific range; otherwise, and
     * without an Accept header, the answer is JSON.
     *
     * @throws RequestRejected when a q-value is not one of RFC 9110's: 0 to 1 with at most three decimals
     */
    static boolean prefersOctetStream(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.ACCEPT)) {
            return false; // the common case, with nothing to allocate
        }
        final MediaPreference octetStream = new MediaPreference(HttpHeaderValues.APPLICATION_OCTET_STREAM.toString());
        final MediaPreference json = new MediaPreference(HttpHeaderValues.APPLICATION_JSON.toString());
        for (String accept : headers.getAll(HttpHeaderNames.ACCEPT)) {
            for (String range : accept.split(",")) {
                final String[] parts = range.split(";");
                final String type = parts[0].trim().toLowerCase(Locale.ROOT);
                if (type.isEmpty()) {
                    continue;
                }
                double q = 1;
                for (int i = 1; i < parts.length; i++) {
                    final String parameter = parts[i].trim();
                    if (parameter.length() >= 2 && Character.toLowerCase(parameter.charAt(0)) == 'q'
                            && parameter.substring(1).trim().startsWith("=")) {
                        q = qValue(parameter.substring(parameter.indexOf('=') + 1).trim());
                    }
                }
                octetStream.offer(type, q);
                json.offer(type, q);
            }
        }
        return octetStream.q > 0 && (octetStream.q > json.q
                || octetStream.q == json.q && octetStream.specificity > json.specificity);
    }

    /** An RFC 9110 qvalue: {@code 0}, {@code 1}, or either with a dot and up to three digits, at most 1. */
    private static double qValue(String text) {
        if (!Q_VALUE.matcher(text).matches() || Double.parseDouble(text) > 1) {
            throw RequestRejected.badRequest("Accept q must be a number in [0, 1] with at most 3 decimals: '" + text + "'");
        }
        return Double.parseDouble(text);
    }

    /** The q-value one media type gets from the most specific range that matches it. */
    private static final class MediaPreference {
        private final String type;
        private final String wildcard;
        /** -1: no range matched yet; 0: {@code *}{@code /*}; 1: {@code type/*}; 2: the type itself. */
        private int specificity = -1;
        private double q;

        MediaPreference(String type) {
            this.type = type;
            this.wildcard = type.substring(0, type.indexOf('/')) + "/*";
        }

        void offer(String range, double rangeQ) {
            final int matched = range.equals(type) ? 2 : range.equals(wildcard) ? 1 : range.equals("*/*") ? 0 : -1;
            if (matched > specificity) {
                specificity = matched;
                q = rangeQ;
            }
        }
    }

    /** The value of a parameter given at most once; null when absent. */
    private static String single(QueryStringDecoder uri, String name) {
        final List<String> values;
        try {
            values = uri.parameters().get(name);
        } catch (IllegalArgumentException e) {
            throw RequestRejected.badRequest("malformed percent-encoding in the query: '" + uri.rawQuery() + "'");
        }
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw RequestRejected.badRequest(name + " must be given once: " + values);
        }
        return values.get(0);
    }

    /**
     * A whole number in [min, max], whatever its length: the message quotes what was sent. Up to 18
     * digits it is read as a long with nothing allocated (the path of every request); longer ones,
     * and every error, take the exact slow path.
     */
    private static long wholeNumber(String name, String text, long min, long max) {
        final int digitsFrom = text.startsWith("-") ? 1 : 0;
        final int length = text.length();
        if (length > digitsFrom && length - digitsFrom <= MAX_FAST_DIGITS) {
            long value = 0;
            int i = digitsFrom;
            for (; i < length; i++) {
                final char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
            }
            if (i == length) {
                value = digitsFrom == 1 ? -value : value;
                if (value >= min && value <= max) {
                    return value;
                }
            }
        }
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
