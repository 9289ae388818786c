package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bug: memory grew without bound for clients that pipeline large batches and never read an answer;
 * every batch was minted and its answer held until the client left. Now the node answers one request
 * of a connection at a time, stops reading a connection whose answers are not being read, and mints
 * nothing it cannot write, so what such clients cost is bounded by connection, not by request.
 */
class NeverReadingClientsTest {

    private static final int CLIENTS = 3;
    private static final int REQUESTS_EACH = 30;
    private static final int COUNT = 100_000;
    /** About 2.1 MB of JSON: 100,000 IDs of 17 digits and a comma each. */
    private static final long ANSWER_BYTES = 2_100_000;

    @Test
    void holdsABoundedAmountPerClientThatNeverReads() throws Exception {
        try (LoopbackNode node = new LoopbackNode(LoopbackNode.anyPort())) {
            final long before = bufferMemory();
            final List<RawConnection> clients = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(RawConnection.open(node.port(), 4096)
                            .send(("POST /ids?count=" + COUNT + " HTTP/1.1\r\nHost: node\r\n\r\n").repeat(REQUESTS_EACH)));
                }
                final long minted = node.awaitMintingStops();
                final long held = bufferMemory() - before;

                // Per client: the answer being written, and what the socket buffers took before it.
                assertThat(minted).as("IDs minted").isLessThanOrEqualTo((long) CLIENTS * 8 * COUNT);
                assertThat(held).as("buffer memory held").isLessThanOrEqualTo(CLIENTS * 4 * ANSWER_BYTES);
            } finally {
                clients.forEach(RawConnection::close);
            }
        }
    }

    /** Heap and direct memory that Netty's default allocator holds for buffers. */
    private static long bufferMemory() {
        final ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return metric.usedHeapMemory() + metric.usedDirectMemory();
    }
}
