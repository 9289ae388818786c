package io.flakeproof.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test servers' ports ({@link TestPorts#free}): below the ephemeral range, free, never twice. */
class TestPortsTest {

    @Test
    void portsLieBelowTheEphemeralRangeAndAreNeverPickedTwice() throws IOException {
        final int ephemeralFrom = ephemeralRangeStart();
        final Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            final int port = TestPorts.free();
            assertThat(port).isBetween(TestPorts.LOWEST, TestPorts.LOWEST + TestPorts.COUNT - 1).isLessThan(ephemeralFrom);
            assertThat(picked.add(port)).as("port %d picked twice", port).isTrue();
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void aPortSomethingHasBoundIsPassedOver() throws IOException {
        final int before = TestPorts.free();
        final int taken = wrap(before + 1);
        try (ServerSocket holder = new ServerSocket()) {
            try {
                holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken));
            } catch (IOException boundElsewhere) {
                // another process holds it: it must be passed over all the same
            }

            final int next = TestPorts.free();

            assertThat(next).isNotEqualTo(taken);
            assertThat(Math.floorMod(next - before, TestPorts.COUNT)).as("the next after %d", taken).isGreaterThan(1);
        }
    }

    /**
     * Where Linux's ephemeral range starts (the source ports of outgoing connections), from
     * {@code /proc/sys/net/ipv4/ip_local_port_range}; the test is about Linux and skipped elsewhere.
     */
    private static int ephemeralRangeStart() throws IOException {
        final Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "no " + range + ": not Linux");
        return Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
    }

    private static int wrap(int port) {
        return TestPorts.LOWEST + Math.floorMod(port - TestPorts.LOWEST, TestPorts.COUNT);
    }
}
