package io.flakeproof.service.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Whole HTTP/1.1 responses with a length: the only kind the node sends, so keep-alive always works. */
final class Responses {

    private Responses() {
    }

    /** {@code body} as {@code application/json}. */
    static FullHttpResponse json(HttpResponseStatus status, ByteBuf body) {
        return of(status, body, HttpHeaderValues.APPLICATION_JSON);
    }

    /** {@code {"error":"message"}} with that status. */
    static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String message) {
        return json(status, JsonBodies.error(alloc, message));
    }

    /** {@code body} with its type and length; the response owns the buffer. */
    static FullHttpResponse of(HttpResponseStatus status, ByteBuf body, CharSequence contentType) {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    /** Marks the response as the connection's last: the keep-alive handler closes it once written. */
    static FullHttpResponse closing(FullHttpResponse response) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
