/**
 * The flakeproof generator: bit layouts, clocks, drift policies, the lock-free CAS generator,
 * decoding, and the lease the generator obeys.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>Ticks, not milliseconds.</b> Inside the generator time is counted in ticks since the
 *       layout's epoch ({@link io.flakeproof.generator.BitLayout#tickAt}); only messages and
 *       metrics convert back to milliseconds.</li>
 *   <li><b>State</b> is {@code tick << sequenceBits | sequence} in one {@code AtomicLong}; every shift
 *       and mask of an ID lives in {@link io.flakeproof.generator.BitLayout} or is the generator's
 *       own state packing, commented where it happens.</li>
 *   <li><b>Time</b> enters only through {@link io.flakeproof.generator.Clock};
 *       {@link io.flakeproof.generator.SystemClock} is the one class that reads the OS clocks.</li>
 *   <li><b>Errors.</b> Bad arguments throw {@code IllegalArgumentException} with a message naming the
 *       value and its bound; a mint that cannot be done throws
 *       {@link io.flakeproof.generator.MintRefusedException} with its cause.</li>
 * </ul>
 */
package io.flakeproof.generator;
