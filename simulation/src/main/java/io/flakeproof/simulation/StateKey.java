package io.flakeproof.simulation;

import io.flakeproof.generator.BitLayout;
import io.flakeproof.generator.DriftPolicy;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
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
    private enum Way { VALUE, LONG, INT, BOOLEAN, TAG, TOKEN, NEXT, CLAIMS }

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
        if (NEXT_TAGS.contains(name) || name.equals("Draws.drawn")) {
            return Way.NEXT;
        }
        if (TAGS.contains(name)) {
            return Way.TAG;
        }
        if (TOKENS.contains(name)) {
            return Way.TOKEN;
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

    private final StringBuilder out = new StringBuilder(2048);
    private final IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();
    /** Tag and token values written so far, by scope (tokens: scope -2); each placeholder indexes this list. */
    private final List<long[]> renamed = new ArrayList<>();
    private int scope = -1;

    /** Appends {@code o} (and, the first time it is met, everything it reaches). */
    StateKey add(Object o) {
        value(o);
        out.append(';');
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
        out.append(';');
        return this;
    }

    private void placeholder(int scope, long value) {
        if (scope == -1) {
            out.append('?');
            return;
        }
        renamed.add(new long[] {scope, value, out.length()});
    }

    /** Appends a plain number or text that is no object of the graph. */
    StateKey mark(Object scalar) {
        out.append(scalar).append(';');
        return this;
    }

    /** The index of an object already encoded, or -1 when it was not met. */
    int refOf(Object o) {
        final Integer i = seen.get(o);
        return i == null ? -1 : i;
    }

    /** The encoding, each tag and token replaced by its rank in its scope. */
    String text() {
        final java.util.TreeMap<Long, java.util.TreeSet<Long>> byScope = new java.util.TreeMap<>();
        for (long[] r : renamed) {
            byScope.computeIfAbsent(r[0], k -> new java.util.TreeSet<>()).add(r[1]);
        }
        final StringBuilder text = new StringBuilder(out.length() + 4 * renamed.size());
        int from = 0;
        for (long[] r : renamed) {
            final int at = (int) r[2];
            text.append(out, from, at).append('#').append(byScope.get(r[0]).headSet(r[1]).size());
            from = at;
        }
        return text.append(out, from, out.length()).toString();
    }

    /** The 128-bit hash of the encoding, as two longs. */
    long[] hash() {
        final String out = text();
        long a = 0x9E3779B97F4A7C15L;
        long b = 0xC2B2AE3D27D4EB4FL;
        for (int i = 0; i < out.length(); i++) {
            final char c = out.charAt(i);
            a = (a ^ c) * 0x100000001B3L;
            b = Long.rotateLeft(b ^ c, 31) * 0x9E3779B97F4A7C15L;
        }
        return new long[] {mix(a ^ out.length()), mix(b + a)};
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The acquisition's claims in flight: tags to workers. */
    private void claimOps(SortedMap<?, ?> claims) {
        out.append('{');
        for (Map.Entry<?, ?> e : claims.entrySet()) {
            placeholder(scope, (Long) e.getKey());
            out.append('=').append(e.getValue()).append(',');
        }
        out.append('}');
    }

    private void value(Object o) {
        if (o == null) {
            out.append('n');
            return;
        }
        if (o instanceof Number || o instanceof Boolean || o instanceof Character || o instanceof String
                || o instanceof Enum<?>) {
            if (o instanceof LongAdder || o instanceof LongAccumulator) {
                out.append('-');
            } else if (o instanceof AtomicLong || o instanceof AtomicInteger) {
                out.append(((Number) o).longValue());
            } else {
                out.append(o);
            }
            return;
        }
        if (o instanceof AtomicBoolean bool) {
            out.append(bool.get());
            return;
        }
        final Class<?> type = o.getClass();
        if (o instanceof BitLayout || o instanceof DriftPolicy || o instanceof Pattern || type.isSynthetic()
                || type.isHidden()) {
            out.append('-');
            return;
        }
        final Integer ref = seen.get(o);
        if (ref != null) {
            out.append('@').append(ref);
            return;
        }
        seen.put(o, seen.size());
        if (o instanceof long[] longs) {
            out.append('[');
            for (long l : longs) {
                out.append(l).append(',');
            }
            out.append(']');
        } else if (o instanceof Object[] objects) {
            out.append('[');
            for (Object e : objects) {
                value(e);
                out.append(',');
            }
            out.append(']');
        } else if (o instanceof BitSet bits) {
            out.append(bits);
        } else if (o instanceof SortedMap<?, ?> map) {
            out.append('{');
            for (Map.Entry<?, ?> e : map.entrySet()) {
                value(e.getKey());
                out.append('=');
                value(e.getValue());
                out.append(',');
            }
            out.append('}');
        } else if (o instanceof List<?> || o instanceof SortedSet<?> || o instanceof java.util.Deque<?>) {
            out.append('[');
            for (Object e : (Collection<?>) o) {
                value(e);
                out.append(',');
            }
            out.append(']');
        } else if (type.getName().startsWith("io.flakeproof.")) {
            out.append(type.getSimpleName()).append('(');
            for (Member m : FIELDS.get(type)) {
                final Field f = m.field();
                try {
                    switch (m.way()) {
                        case NEXT -> out.append("next");
                        case TAG -> placeholder(scope, f.getLong(o));
                        case TOKEN -> placeholder(-2, f.getLong(o));
                        case CLAIMS -> claimOps((SortedMap<?, ?>) f.get(o));
                        case LONG -> out.append(f.getLong(o));
                        case INT -> out.append(f.getInt(o));
                        case BOOLEAN -> out.append(f.getBoolean(o) ? 't' : 'f');
                        case VALUE -> value(f.get(o));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + f, e);
                }
                out.append(',');
            }
            out.append(')');
        } else {
            throw new IllegalStateException("no canonical encoding for a " + type.getName()
                    + ": the state key would be partial");
        }
    }
}
