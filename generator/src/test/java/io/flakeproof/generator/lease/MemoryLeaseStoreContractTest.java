package io.flakeproof.generator.lease;

import io.flakeproof.generator.ManualClock;
import java.time.Instant;

/** The in-memory store of the core's tests meets the store contract. */
class MemoryLeaseStoreContractTest extends LeaseStoreContract {

    private final ManualClock leader = new ManualClock(Instant.parse("2026-06-01T00:00:00Z"));
    private final MemoryLeaseStore store = new MemoryLeaseStore(leader);

    @Override
    protected Session session() {
        final MemoryLeaseStore.Session session = store.session();
        return new Session() {
            @Override
            public LeaseStore store() {
                return session;
            }

            @Override
            public StoreResult await(long op) {
                leader.advance(1);
                final Object[] r = session.results.remove();
                if ((Long) r[0] != op) {
                    throw new AssertionError("result of op " + r[0] + " while awaiting " + op);
                }
                return (StoreResult) r[1];
            }
        };
    }

    @Override
    protected void expire(Session session) {
        store.expire((MemoryLeaseStore.Session) session.store());
    }
}
