package io.flakeproof.simulation;

import io.flakeproof.generator.SnowflakeGenerator;
import java.util.Locale;

/**
 * How a node gets the right to mint under a worker ID. {@code fenced} is flakeproof's, the real
 * {@link io.flakeproof.generator.lease.LeaseHolder}; the others are the naive schemes the simulator
 * must catch colliding (negative controls). They live here, never in production code.
 */
interface Protocol {

    /** One process start of a node running this protocol. */
    interface Process {
        /** The generator that mints now, or null when the process may not mint. */
        SnowflakeGenerator generator();

        /** The process dies: nothing more runs; whatever it holds in ZooKeeper lingers until its session expires. */
        void crash();

        /**
         * A graceful stop (SIGTERM): the process releases what it holds, then closes its session and runs
         * {@code stopped}. Protocols with nothing to release just stop.
         */
        default void stop(Runnable stopped) {
            crash();
            stopped.run();
        }
    }

    /** Starts a process on {@code node}. */
    Process start(SimNode node);

    /** Whether the checker's per-term interval checks apply (a protocol with floors and ceilings). */
    default boolean fenced() {
        return false;
    }

    /** The protocols by name: fenced, seed-quarantine, ephemeral-only, static-config, leaf-like, fenced-no-cluster-check. */
    static Protocol named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "fenced" -> new Fenced(false);
            case "fenced-no-cluster-check" -> new Fenced(true);
            default -> NaiveProtocols.named(name);
        };
    }

    /** Every protocol name, for messages. */
    String NAMES = "fenced, seed-quarantine, ephemeral-only, static-config, leaf-like, fenced-no-cluster-check";
}
