package io.flakeproof.client;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * No ID within the configured wait: the client's buffer was empty and no node answered in time.
 * {@link #failures()} says, for each node, why it did not.
 */
public final class FlakeproofUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why one node gave no IDs: its last failure, or why it was not asked. */
    public record NodeFailure(URI node, String reason) {
        @Override
        public String toString() {
            return node + " (" + reason + ")";
        }
    }

    private final transient List<NodeFailure> failures;

    FlakeproofUnavailableException(String what, List<NodeFailure> failures) {
        super(what + "; nodes: " + failures.stream().map(NodeFailure::toString).collect(Collectors.joining(", ")));
        this.failures = List.copyOf(failures);
    }

    /** One entry per configured node, in the configured order. */
    public List<NodeFailure> failures() {
        return failures;
    }
}
