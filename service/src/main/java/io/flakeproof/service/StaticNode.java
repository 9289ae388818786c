package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.List;

/**
 * A node on a fixed datacenter and worker with no registry: for embedding and for tests of the
 * HTTP layer. Always OK while its layout has time left.
 */
public final class StaticNode implements IdNode {

    private final SnowflakeGenerator generator;

    public StaticNode(SnowflakeGenerator generator) {
        this.generator = generator;
    }

    @Override
    public BitLayout layout() {
        return generator.layout();
    }

    @Override
    public SnowflakeGenerator generator() {
        return generator;
    }

    @Override
    public NodeHealth health() {
        final boolean sealed = generator.isSealed();
        return new NodeHealth(sealed ? NodeHealth.Status.UNAVAILABLE : NodeHealth.Status.OK,
                generator.lease().workerId(), generator.lease().datacenterId(), null, null, -1, 0.0, layout(),
                layout().overflowInstant(), sealed ? List.of("the generator was released") : List.of());
    }
}
