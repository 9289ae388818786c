package io.flakeproof.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ports test servers take: below Linux's ephemeral range (32768-60999 unless configured), from
 * which the system picks the source port of every outgoing connection. A port picked by binding a
 * socket to port 0 and closing it lies in that range, and the server that binds it later (seconds
 * later for curator-test's ZooKeeper quorum) may find a connection holding it as its source port by
 * then: a quorum peer that cannot bind its election port exits the JVM, and the test fork with it; a
 * ZooKeeper restarted on its port may find a client's reconnect attempt on it. Here a port is free
 * when picked and no connection's source port can take it. Each JVM starts at its own place in the
 * range (a hash of its process ID), so that test forks running at once do not pick alike. No Curator
 * here: the client's tests use it without curator-test on their class path.
 */
public final class TestPorts {

    static final int LOWEST = 20_000;
    static final int COUNT = 12_000;
    private static final AtomicInteger NEXT = new AtomicInteger(
            (int) Math.floorMod(ProcessHandle.current().pid() * 0x9E3779B97F4A7C15L, (long) COUNT));

    private TestPorts() {
    }

    /**
     * A loopback port in [{@value #LOWEST}, +{@value #COUNT}) that nothing has bound, none picked twice
     * by one JVM: for every server a test starts on a port it chose (ZooKeeper's, a node's, a
     * Prometheus), and above all for one stopped and started again on the same port.
     */
    public static int free() {
        for (int tried = 0; tried < COUNT; tried++) {
            final int port = LOWEST + Math.floorMod(NEXT.getAndIncrement(), COUNT);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException taken) {
                // bound by another process: the next one
            }
        }
        throw new IllegalStateException("no free loopback port in [" + LOWEST + ", " + (LOWEST + COUNT) + ")");
    }
}
