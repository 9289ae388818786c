package io.flakeproof.generator;

/**
 * A generator refused to mint. The one exception a caller of {@link SnowflakeGenerator} sees for
 * anything but a programming error; {@link #cause()} says why, the message gives the numbers.
 *
 * <p>A refused batch hands out nothing it does not report: IDs it had minted before the refusal
 * are in {@link #mintedBeforeRefusal()} (usually empty, as a batch's ceiling and overflow are checked
 * before its first ID). They are unique like every other ID; discarding them is safe.
 */
public final class MintRefusedException extends RuntimeException {

    private static final long[] NONE = new long[0];

    /** Why a mint was refused. */
    public enum Cause {
        /** The clock read behind the last minted tick beyond what the drift policy accepts. */
        CLOCK_BEHIND,
        /** The next tick lies above the lease's acknowledged ceiling; a renewal may raise it. */
        CEILING_REACHED,
        /** The tick field is spent: the layout's lifetime is over. */
        TICK_OVERFLOW,
        /** The generator's lease was released or lost for good; a new lease needs a new generator. */
        LEASE_NOT_HELD
    }

    private final Cause cause;
    private final long retryAfterMillis;
    private final long[] mintedBeforeRefusal;

    public MintRefusedException(Cause cause, String message, long retryAfterMillis) {
        this(cause, message, retryAfterMillis, NONE);
    }

    private MintRefusedException(Cause cause, String message, long retryAfterMillis, long[] mintedBeforeRefusal) {
        super(message, null, false, false);
        this.cause = cause;
        this.retryAfterMillis = retryAfterMillis;
        this.mintedBeforeRefusal = mintedBeforeRefusal;
    }

    /** The same refusal, reporting the IDs a batch had minted before it. */
    MintRefusedException withMintedBeforeRefusal(long[] ids) {
        return new MintRefusedException(cause, getMessage(), retryAfterMillis, ids);
    }

    /** Why. */
    public Cause cause() {
        return cause;
    }

    /** A hint for a retry, in milliseconds; -1 when retrying this generator cannot succeed. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** IDs a batch minted before it was refused; empty for single IDs and for most batches. */
    public long[] mintedBeforeRefusal() {
        return mintedBeforeRefusal.clone();
    }
}
