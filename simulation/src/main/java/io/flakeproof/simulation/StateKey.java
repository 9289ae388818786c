package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A canonical encoding of an object graph, for the explorer's deduplication of states: every field of
 * every object reachable from the roots, read by reflection, so that a field added to the lease core
 * later is in the key without anyone remembering to add it. Sharing is kept: an object met again is
 * written as a reference to its first appearance, so two graphs encode alike only if they have the same
 * shape as well as the same values. The encoding is hashed to 128 bits.
 *
 * <p>Left out, because nothing that decides behaviour reads them: the counters and messages kept for
 * health and metrics ({@link #OBSERVATIONS}, and every {@link LongAdder} and {@link LongAccumulator},
 * the generator's statistics); configuration that is the same in every state of one exploration
 * ({@link BitLayout}, {@link DriftPolicy}, patterns); and lambdas, which hold only the object that
 * made them. A JDK type it does not know is an error, never skipped: the key would silently be partial.
 */
final class StateKey {

    /** Fields written for health, metrics and messages only: no decision of the code reads them. */
    static final Set<String> OBSERVATIONS = Set.of(
            "LeaseCore.acquisitions", "LeaseCore.renewalsOk", "LeaseCore.renewalsFailed", "LeaseCore.renewalsUnknown",
            "LeaseCore.lastProblem", "Acquisition.ownedAtListing", "LeaseHolder.generators",
            "LeaseHolder.pendingReason", "LeaseHolder.status");

    /** How one field is written. */
    private enum Way { VALUE, LONG, INT, BOOLEAN, TAG, TOKEN, IDENTITY, NEXT, CLAIMS }

    private record Member(Field field, Way way) {
    }

    private static final ClassValue<Member[]> FIELDS = new ClassValue<>() {
        @Override
        protected Member[] computeValue(Class<?> type) {
            final List<Member> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    final String name = c.getSimpleName() + "." + f.getName();
                    if (!Modifier.isStatic(f.getModifiers()) && !OBSERVATIONS.contains(name)) {
                        f.setAccessible(true);
                        fields.add(new Member(f, wayOf(name, f.getType())));
                    }
                }
            }
            return fields.toArray(new Member[0]);
        }
    };

    private static Way wayOf(String name, Class<?> type) {
        if (NEXT_TAGS.contains(name) || name.equals("Draws.drawn") || name.equals("Draws.base")) {
            return Way.NEXT;
        }
        if (TAGS.contains(name)) {
            return Way.TAG;
        }
        if (TOKENS.contains(name)) {
            return Way.TOKEN;
        }
        if (IDENTITIES.contains(name)) {
            return Way.IDENTITY;
        }
        if (name.equals("Acquisition.claimOps")) {
            return Way.CLAIMS;
        }
        return type == long.class ? Way.LONG : type == int.class ? Way.INT : type == boolean.class ? Way.BOOLEAN
                : Way.VALUE;
    }

    /**
     * Fields holding a store operation's tag: a process compares tags for equality and order only, among
     * those of its own process start, and every tag it draws later is above them all. They are written as
     * their rank among the tags of their scope (a process start); {@code nextOp}, the next one to draw, is
     * left out.
     */
    static final Set<String> TAGS = Set.of("LeaseCore.awaitedOp", "LeaseCore.termClaimOp", "Acquisition.lastClaimOp",
            "ReadCluster.op", "CreateCluster.op", "ListWorkers.op", "CreateRecord.op", "Claim.op", "Write.op", "Read.op",
            "DeleteOwner.op", "CreateEphemeral.tag", "Assign.tag", "Upload.tag", "EphemeralOnly.awaited");

    /** Tags that are the next to draw: above every tag in the state, so only their being fresh matters. */
    static final Set<String> NEXT_TAGS = Set.of("LeaseCore.nextOp", "EphemeralOnly.nextTag", "LeafLike.nextTag");

    /**
     * Fields holding a write token: compared for equality only, and every token drawn later is new. Written
     * as their rank among the tokens of the whole state; {@code Draws.drawn}, the count drawn, is left out.
     */
    static final Set<String> TOKENS = Set.of("WorkerRecord.writeToken");

    /**
     * Fields holding a holder's identity on the records (its name and a nonce drawn at start): compared
     * for equality only, and every process start draws a new one. Written as text, or, in a key that
     * renames by appearance ({@link #byAppearance()}), as the rank of its first appearance among the
     * identities of the state, so that the slot and incarnation in a name tell no two states apart.
     * The empty identity of an unclaimed record is always written as text. The draws' source, whose
     * {@code base} only keeps each process start's draws apart, is left out.
     */
    static final Set<String> IDENTITIES = Set.of("LeaseCore.holder", "Acquisition.holder", "WorkerRecord.holder");

    /**
     * The encoding as tokens: each item is a pair of longs, its kind and its value, so that no sequence of
     * items reads as another (a text's digits and separators do the same job, more slowly). A string is its
     * length, then its characters four to a long. An object is its class, then its fields' values in the
     * class's order with no marker between them: the class fixes how many there are, and every value is
     * self-delimiting (a count or a closing item ends each compound one).
     */
    private long[] out = new long[1024];
    private int size;
    private final IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();
    /** Each tag, token and identity met: {scope, value, position in the encoding} (tokens: scope -2, identities -3). */
    private long[] renamed = new long[96];
    private int renamedSize;
    private int scope = -1;
    /** Whether tokens and identities are ranked by their first appearance ({@link #byAppearance()}). */
    private boolean byAppearance;
    /** An arbitrary, distinct number per identity met, for {@link #placeholder}. */
    private final java.util.HashMap<String, Long> identities = new java.util.HashMap<>();

    /** The kinds of item. */
    private static final long NULL = 1, SKIPPED = 2, LONG = 3, BOOLEAN = 4, STRING = 5, REF = 6, OPEN = 7, CLOSE = 8,
            ARRAY = 9, END = 10, MAP = 11, ENTRY = 12, NEXT = 14, RANK = 15, UNCOMPARED = 16, ITEM = 17,
            CHARACTER = 18, ENUM = 19, DOUBLE = 20, BITS = 21;

    /** Empties the key, for another state: a key is reused, state after state, by one thread. */
    StateKey reset() {
        size = 0;
        renamedSize = 0;
        scope = -1;
        seen.clear();
        identities.clear();
        byAppearance = false;
        return this;
    }

    /**
     * From now until the next {@link #reset()}, tokens and identities, which are compared for equality
     * only, are written as the rank of their first appearance in the encoding rather than of their
     * value. Either is a renaming that keeps equality; by appearance, two states whose slots are the same
     * processes in another order encode alike when written in matching orders (the explorer's symmetry,
     * {@code SmallWorld.hash}), where by value the draws of slot 0 would always rank below slot 1's.
     */
    StateKey byAppearance() {
        byAppearance = true;
        return this;
    }

    /** Appends {@code o} (and, the first time it is met, everything it reaches). */
    StateKey add(Object o) {
        value(o);
        put(ITEM, 0);
        return this;
    }

    /** Appends {@code o} with its tags in the scope of process start {@code scope} (-1: tags not compared). */
    StateKey add(int scope, Object o) {
        this.scope = scope;
        add(o);
        this.scope = -1;
        return this;
    }

    /** Appends a tag of process start {@code scope}. */
    StateKey tag(int scope, long tag) {
        placeholder(scope, tag);
        put(ITEM, 0);
        return this;
    }

    /** Appends a plain number, flag or text that is no object of the graph. */
    StateKey mark(Object scalar) {
        value(scalar);
        put(ITEM, 0);
        return this;
    }

    /** The index of an object already encoded, or -1 when it was not met. */
    int refOf(Object o) {
        final Integer i = seen.get(o);
        return i == null ? -1 : i;
    }

    private void put(long kind, long value) {
        if (size + 2 > out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[size++] = kind;
        out[size++] = value;
    }

    private void string(String s) {
        put(STRING, s.length());
        for (int i = 0; i < s.length(); i += 4) {
            long packed = 0;
            for (int j = i; j < Math.min(i + 4, s.length()); j++) {
                packed = packed << 16 | s.charAt(j);
            }
            put(STRING, packed);
        }
    }

    private void placeholder(int scope, long value) {
        if (scope == -1) {
            put(UNCOMPARED, 0);
            return;
        }
        if (renamedSize + 3 > renamed.length) {
            renamed = Arrays.copyOf(renamed, renamed.length * 2);
        }
        renamed[renamedSize++] = scope;
        renamed[renamedSize++] = value;
        renamed[renamedSize++] = size;
        put(RANK, 0);
    }

    /** The rank of tag or token {@code i} (an index into {@link #renamed}) among the distinct ones of its scope. */
    private long rankOf(int i) {
        final long scopeOf = renamed[i];
        final long value = renamed[i + 1];
        long rank = 0;
        if (scopeOf == -3 || scopeOf == -2 && byAppearance) {
            // By first appearance: the distinct values of the scope met before this one's first.
            for (int j = 0; j < renamedSize && !(renamed[j] == scopeOf && renamed[j + 1] == value); j += 3) {
                if (renamed[j] == scopeOf && firstOf(j)) {
                    rank++;
                }
            }
            return rank;
        }
        for (int j = 0; j < renamedSize; j += 3) {
            if (renamed[j] == scopeOf && renamed[j + 1] < value && firstOf(j)) {
                rank++;
            }
        }
        return rank;
    }

    /** Whether entry {@code j} is the first with its scope and value (a value met twice is ranked once). */
    private boolean firstOf(int j) {
        for (int k = 0; k < j; k += 3) {
            if (renamed[k] == renamed[j] && renamed[k + 1] == renamed[j + 1]) {
                return false;
            }
        }
        return true;
    }

    /** The encoding, each tag and token replaced by its rank in its scope. */
    long[] tokens() {
        final long[] tokens = Arrays.copyOf(out, size);
        for (int i = 0; i < renamedSize; i += 3) {
            tokens[(int) renamed[i + 2] + 1] = rankOf(i);
        }
        return tokens;
    }

    /**
     * The 128-bit hash of the encoding, as two longs: MurmurHash3 (x64, 128-bit, seed 0) of its longs in
     * little-endian order, the same function as Guava's {@code Hashing.murmur3_128()} (ExploreTest
     * checks that they agree), run on the longs directly: through Guava's byte streams it was a third of
     * the explorer's time.
     */
    long[] hash() {
        return murmur3(tokens());
    }

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    /** MurmurHash3 x64 128-bit of {@code words} as little-endian bytes: {h1, h2}, as its first and second 8 bytes read little-endian. */
    static long[] murmur3(long[] words) {
        long h1 = 0;
        long h2 = 0;
        final int blocks = words.length / 2;
        for (int i = 0; i < blocks; i++) {
            long k1 = words[2 * i];
            long k2 = words[2 * i + 1];
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        if (words.length % 2 == 1) {
            long k1 = words[words.length - 1];
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
        }
        final long length = (long) words.length * Long.BYTES;
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** A holder identity: as text, or by appearance ({@link #IDENTITIES}). */
    private void identity(String holder) {
        if (byAppearance && holder != null && !holder.isEmpty()) {
            placeholder(-3, identities.computeIfAbsent(holder, h -> (long) identities.size()));
        } else {
            value(holder);
        }
    }

    /** The acquisition's claims in flight: tags to workers. */
    private void claimOps(SortedMap<?, ?> claims) {
        put(MAP, claims.size());
        for (Map.Entry<?, ?> e : claims.entrySet()) {
            placeholder(scope, (Long) e.getKey());
            value(e.getValue());
        }
    }

    private void value(Object o) {
        if (o == null) {
            put(NULL, 0);
            return;
        }
        if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte
                || o instanceof AtomicLong || o instanceof AtomicInteger) {
            put(LONG, ((Number) o).longValue());
            return;
        }
        if (o instanceof String text) {
            string(text);
            return;
        }
        if (o instanceof Boolean bool) {
            put(BOOLEAN, bool ? 1 : 0);
            return;
        }
        if (o instanceof AtomicBoolean bool) {
            put(BOOLEAN, bool.get() ? 1 : 0);
            return;
        }
        if (o instanceof Enum<?> e) {
            put(ENUM, CLASS_IDS.get(e.getDeclaringClass()));
            put(ENUM, e.ordinal());
            return;
        }
        if (o instanceof Character c) {
            put(CHARACTER, c);
            return;
        }
        if (o instanceof Double || o instanceof Float) {
            put(DOUBLE, Double.doubleToLongBits(((Number) o).doubleValue()));
            return;
        }
        final Class<?> type = o.getClass();
        if (o instanceof LongAdder || o instanceof LongAccumulator || o instanceof BitLayout || o instanceof DriftPolicy
                || o instanceof Pattern || type.isSynthetic() || type.isHidden()) {
            put(SKIPPED, 0);
            return;
        }
        if (o instanceof Number) {
            throw new IllegalStateException("no canonical encoding for a " + type.getName()
                    + ": the state key would be partial");
        }
        final Integer ref = seen.get(o);
        if (ref != null) {
            put(REF, ref);
            return;
        }
        seen.put(o, seen.size());
        if (o instanceof long[] longs) {
            put(ARRAY, longs.length);
            for (long l : longs) {
                put(LONG, l);
            }
        } else if (o instanceof Object[] objects) {
            put(ARRAY, objects.length);
            for (Object e : objects) {
                value(e);
            }
        } else if (o instanceof BitSet bits) {
            final long[] words = bits.toLongArray();
            put(BITS, words.length);
            for (long w : words) {
                put(LONG, w);
            }
        } else if (o instanceof SortedMap<?, ?> map) {
            put(MAP, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                value(e.getKey());
                put(ENTRY, 0);
                value(e.getValue());
            }
        } else if (o instanceof List<?> || o instanceof SortedSet<?> || o instanceof java.util.Deque<?>) {
            final Collection<?> items = (Collection<?>) o;
            put(ARRAY, items.size());
            for (Object e : items) {
                value(e);
            }
        } else if (type.getName().startsWith("io.flakeproof.")) {
            final Member[] members = FIELDS.get(type);
            put(OPEN, CLASS_IDS.get(type));
            for (Member m : members) {
                final Field f = m.field();
                try {
                    switch (m.way()) {
                        case NEXT -> put(NEXT, 0);
                        case TAG -> placeholder(scope, f.getLong(o));
                        case TOKEN -> placeholder(-2, f.getLong(o));
                        case IDENTITY -> identity((String) f.get(o));
                        case CLAIMS -> claimOps((SortedMap<?, ?>) f.get(o));
                        case LONG -> put(LONG, f.getLong(o));
                        case INT -> put(LONG, f.getInt(o));
                        case BOOLEAN -> put(BOOLEAN, f.getBoolean(o) ? 1 : 0);
                        case VALUE -> value(f.get(o));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
            }
            put(CLOSE, 0);
        } else {
            throw new IllegalStateException("no canonical encoding for a " + type.getName()
                    + ": the state key would be partial");
        }
    }

    /** A number per class met, the same in every thread of one run: an object's class is part of its encoding. */
    private static final ClassValue<Long> CLASS_IDS = new ClassValue<>() {
        private final AtomicLong next = new AtomicLong();

        @Override
        protected Long computeValue(Class<?> type) {
            return next.incrementAndGet();
        }
    };
}
