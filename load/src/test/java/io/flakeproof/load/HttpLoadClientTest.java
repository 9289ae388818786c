package io.flakeproof.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpLoadClientTest {

    @Test
    void theReceiveBufferHoldsFourAnswersWithinTheKernelsUsualBounds() {
        assertThat(HttpLoadClient.receiveBufferBytes(1024 + 24)).as("single IDs: the kernel's usual start")
                .isEqualTo(128 * 1024);
        assertThat(HttpLoadClient.receiveBufferBytes(1024 + 10_000 * 24)).as("batches of 10,000")
                .isEqualTo(4 * (1024 + 10_000 * 24));
        assertThat(HttpLoadClient.receiveBufferBytes(1024 + 1_000_000 * 24)).as("the largest batches")
                .isEqualTo(4 * 1024 * 1024);
    }
}
