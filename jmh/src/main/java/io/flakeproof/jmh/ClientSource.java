package io.flakeproof.jmh;

import io.flakeproof.client.ClientStats;
import io.flakeproof.client.FlakeproofClient;
import java.util.Locale;

/**
 * {@link FlakeproofClient#nextId()} against an {@link InProcessNode} on the uncapped test layout, with
 * requests of up to 1,000,000 IDs, so that the client, not the node's per-tick cap, is what is measured.
 * Closing it prints what the node received: requests, IDs, and requests per 1,000 IDs handed out.
 */
final class ClientSource implements IdSource, AutoCloseable {

    private final InProcessNode node = new InProcessNode(Layout.UNCAPPED.bits());
    private final FlakeproofClient client = FlakeproofClient.builder().nodes(node.uri())
            .batch(1_000, FlakeproofClient.MAX_COUNT).build();

    @Override
    public long next() {
        return client.nextId();
    }

    @Override
    public void close() {
        final ClientStats stats = client.stats();
        client.close();
        node.close();
        final long handedOut = stats.idsReceived() - stats.bufferedIds() - stats.idsDroppedStale();
        System.out.println(String.format(Locale.ROOT,
                "node load: %,d range requests for %,d IDs handed out (%,d served, %,d dropped stale, %,d buffered):"
                        + " %.4f requests per 1,000 IDs; client waits %,d (%,d ms), failed requests %,d",
                node.requests(), handedOut, node.served(), stats.idsDroppedStale(), stats.bufferedIds(),
                handedOut == 0 ? 0.0 : node.requests() * 1000.0 / handedOut, stats.waits(),
                stats.waitNanos() / 1_000_000, stats.failedRequests()));
    }
}
