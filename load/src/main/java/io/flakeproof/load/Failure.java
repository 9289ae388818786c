package io.flakeproof.load;

/** Why a request counts as failed. */
enum Failure {
    /** The node answered with a status other than 200. */
    STATUS("status"),
    /** A 200 whose body does not hold exactly the IDs asked for. */
    BODY("body"),
    /** The connection closed or broke while the request was on it. */
    CONNECTION("connection"),
    /** Still unanswered, or never sent, when the run's drain time ran out. */
    TIMEOUT("timeout");

    private final String label;

    Failure(String label) {
        this.label = label;
    }

    /** The name used in the summary and its JSON. */
    String label() {
        return label;
    }
}
