package io.flakeproof.client;

/** A node answered with something that is not the answer its route promises; the answer is discarded. */
final class MalformedAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedAnswerException(String message) {
        super(message);
    }
}
