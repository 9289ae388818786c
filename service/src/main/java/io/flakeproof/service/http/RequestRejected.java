package io.flakeproof.service.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the node answers with a client error: the status and the message of the JSON body.
 * Thrown by the request parsing, caught by the handler; it carries no stack trace.
 */
final class RequestRejected extends RuntimeException {

    private final transient HttpResponseStatus status;

    RequestRejected(HttpResponseStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    /** A 400 Bad Request. */
    static RequestRejected badRequest(String message) {
        return new RequestRejected(HttpResponseStatus.BAD_REQUEST, message);
    }

    HttpResponseStatus status() {
        return status;
    }
}
