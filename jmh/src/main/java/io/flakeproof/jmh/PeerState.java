package io.flakeproof.jmh;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The implementation under test, one per trial, shared by all of the trial's threads: with
 * {@code @Threads(2)} both threads call the same generator, which is the contended case.
 */
@State(Scope.Benchmark)
public class PeerState {

    /** Every {@link Peer} unless narrowed on the command line, such as {@code -p impl=FLAKEPROOF,TSID}. */
    @Param
    public Peer impl;

    private IdSource source;

    @Setup(Level.Trial)
    public void create() {
        source = impl.create();
    }

    /** Stops an implementation that runs threads of its own (the client and its node). */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (source instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    public IdSource source() {
        return source;
    }
}
