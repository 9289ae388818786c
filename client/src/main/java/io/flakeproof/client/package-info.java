/**
 * The Java client of a flakeproof fleet: {@link io.flakeproof.client.FlakeproofClient} hands out IDs
 * from ranges prefetched with {@code POST /ids/ranges} and fails over between nodes. No dependencies
 * beyond the JDK ({@code java.net.http}; the node's JSON is read by a small strict reader of its own).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>The hot path touches two fields: the volatile {@code current} range and that range's cursor,
 *       moved only by {@code getAndAdd}. Everything else (the chain of buffered ranges, the refills in
 *       flight, node health and breakers, counters) is guarded by the client's one lock and is never
 *       touched by a call that the current range can serve.</li>
 *   <li>Time comes from one injectable ticker of monotonic nanoseconds; tests drive staleness with their own.</li>
 *   <li>An answer from a node is either read completely and checked, or discarded as a failure of that
 *       node: there is no partial acceptance.</li>
 * </ul>
 */
package io.flakeproof.client;
