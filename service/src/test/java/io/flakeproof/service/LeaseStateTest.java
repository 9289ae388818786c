package io.flakeproof.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.lease.LeaseCore;
import io.flakeproof.generator.lease.LeaseStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LeaseStateTest {

    private static final long WINDOW_MS = 9_000;

    @ParameterizedTest(name = "{0}, {1} ms left, offset beyond bound {2}: {3}")
    @CsvSource({
        "HELD, 9000, false, HELD",
        "HELD, 6000, false, HELD",
        // A renewal's round trip takes the time left just below two thirds: still on time.
        "HELD, 5990, false, HELD",
        "HELD, 4500, false, HELD",
        "HELD, 4499, false, RENEWING_LATE",
        "HELD, 0, false, RENEWING_LATE",
        "HELD, 9000, true, SUSPENDED",
        "HELD, 0, true, SUSPENDED",
        "IDLE, 0, false, LOST",
        "LISTING, 0, false, LOST",
        "CLAIMING, 0, true, LOST",
        "RESOLVING_CLAIM, 0, false, LOST",
        "RELEASING, 0, false, CLOSED",
        "CLOSED, 0, false, CLOSED",
    })
    void namesTheStateOfAPhaseItsTimeLeftAndItsClockOffset(LeaseCore.Phase phase, long remainingMs, boolean beyondBound,
            LeaseState expected) {
        final LeaseStatus status = new LeaseStatus(phase, 3, 0, 2, 100, remainingMs, true, beyondBound ? 1500 : 10,
                beyondBound, 1, 5, 0, 0, "", "c0ffee");

        assertThat(LeaseState.of(status, WINDOW_MS)).isEqualTo(expected);
    }
}
