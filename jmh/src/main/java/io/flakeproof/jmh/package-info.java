/**
 * JMH benchmarks of the generator beside its peers.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every benchmark returns what it computed, so nothing is dead code.</li>
 *   <li>Implementations are compared by the {@code impl} parameter ({@link io.flakeproof.jmh.Peer})
 *       behind one small interface, {@link io.flakeproof.jmh.IdSource}, in the same run and harness.</li>
 *   <li>One instance per trial is shared by the trial's threads ({@link io.flakeproof.jmh.PeerState}).</li>
 *   <li>Throughput is reported as IDs per second, batches included ({@code @OperationsPerInvocation}).</li>
 *   <li>Latency is timed on every call ({@link io.flakeproof.jmh.NextIdEveryCall}) as well as by JMH's
 *       sampler ({@link io.flakeproof.jmh.NextIdBenchmark} in SampleTime mode); README.md explains why both.</li>
 * </ul>
 */
package io.flakeproof.jmh;
