package io.flakeproof.generator.lease;

import java.util.BitSet;
import java.util.Objects;

/** The result of one {@link LeaseStore} operation. */
public sealed interface StoreResult {

    /** How an operation ended. */
    enum Kind {
        /** Done and acknowledged. */
        OK,
        /** Refused by the store because the record is not as expected: version moved, exists, owned. */
        CONFLICT,
        /** The outcome is not known: the connection was lost with the operation in flight. */
        UNKNOWN,
        /** Failed for certain without effect (no quorum, session expired before it was sent, bad data). */
        FAILED
    }

    /** How it ended. */
    Kind kind();

    /**
     * The worker IDs of a datacenter that have a record ({@code existing}) and an owner ({@code owned}).
     */
    record Listed(Kind kind, BitSet existing, BitSet owned, String detail) implements StoreResult {
        public Listed {
            existing = (BitSet) existing.clone();
            owned = (BitSet) owned.clone();
        }

        public static Listed ok(BitSet existing, BitSet owned) {
            return new Listed(Kind.OK, existing, owned, "");
        }

        public static Listed failed(Kind kind, String detail) {
            return new Listed(kind, new BitSet(), new BitSet(), detail);
        }
    }

    /**
     * A create, claim, write or delete: the record's version after it, and the store's modification
     * time (the leader's wall clock: only ever used to estimate clock offset, never for safety; 0 where
     * {@link LeaseStore} says an operation returns none).
     */
    record Written(Kind kind, int version, long mtimeMillis, String detail) implements StoreResult {
        public static Written ok(int version, long mtimeMillis) {
            return new Written(Kind.OK, version, mtimeMillis, "");
        }

        public static Written failed(Kind kind, String detail) {
            return new Written(kind, -1, 0, Objects.requireNonNull(detail, "detail"));
        }
    }

    /** A read of the cluster's record: {@code record == null} when the registry has none. */
    record ClusterRead(Kind kind, ClusterRecord record, String detail) implements StoreResult {
        public static ClusterRead ok(ClusterRecord record) {
            return new ClusterRead(Kind.OK, record, "");
        }

        public static ClusterRead failed(Kind kind, String detail) {
            return new ClusterRead(kind, null, detail);
        }
    }

    /** A read: the record and its version, or {@code record == null} when there is none. */
    record Read(Kind kind, WorkerRecord record, int version, long mtimeMillis, String detail) implements StoreResult {
        public static Read ok(WorkerRecord record, int version, long mtimeMillis) {
            return new Read(Kind.OK, record, version, mtimeMillis, "");
        }

        public static Read absent() {
            return new Read(Kind.OK, null, -1, 0, "");
        }

        public static Read failed(Kind kind, String detail) {
            return new Read(kind, null, -1, 0, detail);
        }
    }
}
