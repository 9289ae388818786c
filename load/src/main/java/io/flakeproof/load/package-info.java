/**
 * {@code flakeproof load}: an open-loop HTTP load generator with latency corrected for coordinated
 * omission.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Open loop.</b> Request {@code i} is intended at {@code start + i / rate}
 *       ({@link io.flakeproof.load.Schedule}); when it is actually sent depends on free connections,
 *       never on when earlier requests were answered. Nothing is skipped: a late request is sent late.</li>
 *   <li><b>Latency</b> is answer time minus intended time. Service time (answer minus actual send)
 *       is reported beside it only to show how much coordinated omission would have hidden.</li>
 *   <li><b>Threads.</b> The calling thread paces and reports; one Netty event loop owns every
 *       connection and all per-request state. They share only HdrHistogram recorders and atomic
 *       counters ({@code Measurements}).</li>
 *   <li><b>Units.</b> Nanoseconds on the {@link System#nanoTime()} scale for instants, whole
 *       microseconds in histograms, milliseconds in what people read.</li>
 *   <li><b>Bounds.</b> Rate, duration, connections and count are bounded ({@link io.flakeproof.load.LoadPlan});
 *       the run waits at most 10 s for its last answers; a connection is replaced only after it
 *       carried a request.</li>
 * </ul>
 */
package io.flakeproof.load;
