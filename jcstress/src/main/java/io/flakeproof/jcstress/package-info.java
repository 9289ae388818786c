/**
 * jcstress tests of {@link io.flakeproof.generator.SnowflakeGenerator}'s concurrency contract under
 * the Java memory model: IDs distinct across threads, strictly increasing within each thread, batches
 * and ranges disjoint from singles, the lease ceiling obeyed while it moves, the clock's backward
 * steps absorbed, and {@code seal()} never undercut by a racing mint.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li><b>One generator per state, on a {@link io.flakeproof.generator.ManualClock}</b> starting at
 *       {@link io.flakeproof.jcstress.Fixtures#START_TICK}, under a layout with two IDs per tick: a
 *       thread's third call already exhausts a tick, so every test crosses ticks, borrows ahead under
 *       ABSORB and waits in virtual time (the manual clock's {@code pause} moves it; nothing sleeps).</li>
 *   <li><b>Actors mint, the arbiter judges.</b> Each minting actor writes what it was handed into its
 *       own {@link io.flakeproof.jcstress.Minted}; the arbiter runs after every actor (jcstress orders
 *       them), so the logs need no synchronization.</li>
 *   <li><b>Results are rows of checks.</b> Each {@code r<i>} is one guarantee, {@code true} when it
 *       held; the test's javadoc names them in order. Exactly one row is acceptable (plus, where a
 *       last column only says whether the race was hit, its two values); every other row is listed
 *       as forbidden, matched by the first {@code false} so its description names the broken
 *       guarantee.</li>
 *   <li><b>Refusals.</b> A test names the one {@link io.flakeproof.generator.MintRefusedException}
 *       cause it accepts, if any. Any other refusal is rethrown from the actor, which jcstress reports
 *       as an error and a failed test: the virtual clock always lets a bounded wait finish.</li>
 * </ul>
 */
package io.flakeproof.jcstress;
