package io.flakeproof.service.http;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.SnowflakeGenerator;
import io.flakeproof.service.IdNode;
import io.flakeproof.service.NodeHealth;

/** A node that answers as its delegate except where a test overrides a method. */
class DelegatingNode implements IdNode {

    private final IdNode delegate;

    DelegatingNode(IdNode delegate) {
        this.delegate = delegate;
    }

    @Override
    public BitLayout layout() {
        return delegate.layout();
    }

    @Override
    public SnowflakeGenerator generator() {
        return delegate.generator();
    }

    @Override
    public NodeHealth health() {
        return delegate.health();
    }
}
