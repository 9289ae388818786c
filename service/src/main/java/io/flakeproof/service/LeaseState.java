package io.flakeproof.service;

import io.flakeproof.generator.lease.LeaseStatus;
import java.util.Locale;

/**
 * The lease's state as an operator reads it, one of five, derived from a {@link LeaseStatus}: the
 * {@code state} label of {@code flakeproof_lease_state} and {@code lease_state} in {@code /health}.
 */
public enum LeaseState {
    /** A term is held and its last renewal was acknowledged within the last third of the window. */
    HELD,
    /**
     * A term is held but less than half the window is left on its acknowledged ceiling: a renewal is
     * half an interval overdue (ZooKeeper unreachable or slow, or renewals refused). At zero the node
     * refuses.
     */
    RENEWING_LATE,
    /** A term is held but minting is suspended: the clock offset to ZooKeeper is beyond its bound. */
    SUSPENDED,
    /** No term is held: the last one was lost (session expired, worker claimed) and a new one is being acquired. */
    LOST,
    /** Released on a graceful stop, or releasing. */
    CLOSED;

    /** The label value: lower case, as Prometheus labels usually are. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The state of {@code status} for a lease of {@code windowMillis}: SUSPENDED before RENEWING_LATE,
     * as a suspended term renews but mints nothing.
     */
    public static LeaseState of(LeaseStatus status, long windowMillis) {
        return switch (status.phase()) {
            case HELD -> status.offsetBeyondBound() ? SUSPENDED
                    : renewalOverdue(status.remainingMillis(), windowMillis) ? RENEWING_LATE : HELD;
            case RELEASING, CLOSED -> CLOSED;
            default -> LOST;
        };
    }

    /**
     * Whether a renewal is overdue with {@code remainingMillis} left on the ceiling. Renewals run every
     * third of the window, each to now + window, so while they are acknowledged on time two thirds of
     * the window or more is left, less only during the round trip of the renewal in flight. The slack
     * down to half the window is a sixth of it (1.67 s of a 10 s window): more than a round trip takes,
     * and half of what one renewal that is never acknowledged takes off.
     */
    static boolean renewalOverdue(long remainingMillis, long windowMillis) {
        return remainingMillis < windowMillis / 2;
    }
}
