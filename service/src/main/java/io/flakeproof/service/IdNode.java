package io.flakeproof.service;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;

/**
 * What the HTTP layer needs from a node: the fleet's layout, the generator to mint with now, and
 * the node's health. Implementations: a node on a worker leased from ZooKeeper and,
 * for embedding and tests, {@link StaticNode}.
 */
public interface IdNode {

    /** The fleet's layout: every ID this node mints or decodes is read with it. */
    BitLayout layout();

    /**
     * The generator of the current lease term.
     *
     * @throws MintRefusedException with {@link MintRefusedException.Cause#LEASE_NOT_HELD} when the node holds no lease
     */
    SnowflakeGenerator generator();

    /** The node's health now. */
    NodeHealth health();
}
