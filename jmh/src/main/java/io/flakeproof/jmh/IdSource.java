package io.flakeproof.jmh;

/**
 * The one operation every benchmarked implementation is measured on: mint the next ID. Peers whose
 * IDs are wider than a long fold both halves into the result, so neither half can be optimized away.
 * Each JMH fork uses one implementation, so the call site stays monomorphic and is inlined.
 */
@FunctionalInterface
public interface IdSource {

    /** The next ID, or for the clock baseline the current time. */
    long next();
}
