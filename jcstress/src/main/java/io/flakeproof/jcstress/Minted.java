package io.flakeproof.jcstress;

import io.flakeproof.generator.IdRange;
import io.flakeproof.generator.MintRefusedException;
import io.flakeproof.generator.SnowflakeGenerator;
import java.util.Arrays;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * What one actor was handed, in the order its calls returned, and the checks the arbiter runs on it.
 * Written by its actor alone and read by the arbiter after every actor finished (jcstress orders
 * them), so plain fields suffice.
 */
final class Minted {

    /** The most IDs one actor is handed in any test (two batches of 2 and 3); one more is an error. */
    private static final int CAPACITY = 5;

    /** The refusal cause this actor may see, or null when every refusal is an error. */
    private final MintRefusedException.Cause accepted;
    private final long[] ids = new long[CAPACITY];
    private int count;
    private boolean refused;
    private boolean mintedAfterRefusal;

    /** A log whose actor must never be refused. */
    Minted() {
        this(null);
    }

    /** A log whose actor may be refused for {@code accepted}; any other cause is rethrown. */
    Minted(MintRefusedException.Cause accepted) {
        this.accepted = accepted;
    }

    /** {@code calls} calls of {@link SnowflakeGenerator#nextId()}. */
    void singles(SnowflakeGenerator generator, int calls) {
        for (int i = 0; i < calls; i++) {
            single(generator);
        }
    }

    /** One call of {@link SnowflakeGenerator#nextId()}. */
    void single(SnowflakeGenerator generator) {
        try {
            add(generator.nextId());
        } catch (MintRefusedException e) {
            refusal(e);
        }
    }

    /** One call of {@link SnowflakeGenerator#nextIds(int)}. */
    void batch(SnowflakeGenerator generator, int count) {
        try {
            for (long id : generator.nextIds(count)) {
                add(id);
            }
        } catch (MintRefusedException e) {
            refusal(e);
        }
    }

    /** One call of {@link SnowflakeGenerator#nextRanges(long)}, its ranges expanded in order. */
    void ranges(SnowflakeGenerator generator, long count) {
        try {
            for (IdRange range : generator.nextRanges(count)) {
                for (long id = range.firstId(); id <= range.lastId(); id++) {
                    add(id);
                }
            }
        } catch (MintRefusedException e) {
            refusal(e);
        }
    }

    private void add(long id) {
        if (refused) {
            mintedAfterRefusal = true;
        }
        ids[count++] = id;
    }

    private void refusal(MintRefusedException e) {
        if (e.cause() != accepted) {
            throw e;
        }
        // A refused batch hands out what it minted before the refusal; those IDs count like any other.
        for (long id : e.mintedBeforeRefusal()) {
            add(id);
        }
        refused = true;
    }

    /** Whether every ID this actor was handed is larger than the one before it. */
    boolean increasing() {
        for (int i = 1; i < count; i++) {
            if (ids[i] <= ids[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** How many IDs this actor was handed. */
    int count() {
        return count;
    }

    /** Whether some call was refused (for the accepted cause). */
    boolean refused() {
        return refused;
    }

    /** Whether, once refused, this actor was never handed an ID again. */
    boolean refusalsFinal() {
        return !mintedAfterRefusal;
    }

    /** Whether no ID of these actors appears twice, within one actor or across them. */
    static boolean distinct(Minted... actors) {
        int total = 0;
        for (Minted actor : actors) {
            total += actor.count;
        }
        final long[] all = new long[total];
        int at = 0;
        for (Minted actor : actors) {
            System.arraycopy(actor.ids, 0, all, at, actor.count);
            at += actor.count;
        }
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** The two columns of a test that only mints: r1, distinct across the actors; r2, increasing within each. */
    static void judge(ZZ_Result r, Minted... actors) {
        r.r1 = distinct(actors);
        r.r2 = increasing(actors);
    }

    /** Whether every actor's IDs increase. */
    static boolean increasing(Minted... actors) {
        for (Minted actor : actors) {
            if (!actor.increasing()) {
                return false;
            }
        }
        return true;
    }

    /** The highest tick among these actors' IDs, or -1, the floor of every test's lease, if they were handed none. */
    static long highestTick(Minted... actors) {
        long highest = -1;
        for (Minted actor : actors) {
            for (int i = 0; i < actor.count; i++) {
                highest = Math.max(highest, Fixtures.TWO_PER_TICK.tickOf(actor.ids[i]));
            }
        }
        return highest;
    }
}
