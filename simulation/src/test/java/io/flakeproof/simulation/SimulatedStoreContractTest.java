package io.flakeproof.simulation;

import io.flakeproof.generator.DriftPolicy;
import io.flakeproof.generator.lease.LeaseStore;
import io.flakeproof.generator.lease.LeaseStoreContract;
import io.flakeproof.generator.lease.StoreResult;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** The simulated ZooKeeper, as a node's client sees it with no faults, meets the store contract. */
class SimulatedStoreContractTest extends LeaseStoreContract {

    private final World world = new World(new Params(1, "fenced", DriftPolicy.DEFAULT, Scenario.MIXED, 1, 4, 8,
            60_000_000_000L, 3000, 2000, 1000, 100, 1, 16, 100_000, 200_000, 0, 0, 0, 0, 0, 0),
            java.util.List.of(), false);
    private int nodes;

    @Override
    protected Session session() {
        final SimNode node = new SimNode(world, nodes, "node-" + nodes++, new SimClock(world.sim(), 0),
                new SplittableRandom(nodes), null);
        final TreeMap<Long, StoreResult> results = new TreeMap<>();
        final ZkClient client = new ZkClient(node, world, 2_000_000_000L, results::put, new ZkClient.Listener() {
            @Override
            public void suspended() {
            }

            @Override
            public void reconnected() {
            }

            @Override
            public void lost() {
            }
        });
        return new Session() {
            @Override
            public LeaseStore store() {
                return client;
            }

            @Override
            public StoreResult await(long op) {
                for (int i = 0; i < 1000 && !results.containsKey(op); i++) {
                    world.sim().runUntil(world.sim().now() + 1_000_000);
                }
                final StoreResult r = results.remove(op);
                if (r == null) {
                    throw new AssertionError("no result for op " + op + " within a simulated second");
                }
                return r;
            }

            @Override
            public String toString() {
                return "session " + client.session();
            }
        };
    }

    @Override
    protected void expire(Session session) {
        world.zk().close(((ZkClient) session.store()).session());
    }
}
