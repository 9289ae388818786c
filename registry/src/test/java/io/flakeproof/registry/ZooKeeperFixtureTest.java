package io.flakeproof.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The test servers' ports ({@link ZooKeeperFixture#freePort}): below the ephemeral range, free, never twice. */
class ZooKeeperFixtureTest {

    @Test
    void portsLieBelowTheEphemeralRangeAndAreNeverPickedTwice() throws IOException {
        final Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            final int port = ZooKeeperFixture.freePort();
            assertThat(port).isBetween(20_000, 31_999);
            assertThat(picked.add(port)).as("port %d picked twice", port).isTrue();
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    @Test
    void aPortSomethingHasBoundIsPassedOver() throws IOException {
        final int before = ZooKeeperFixture.freePort();
        final int taken = wrap(before + 1);
        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken));

            assertThat(ZooKeeperFixture.freePort()).isEqualTo(wrap(before + 2));
        }
    }

    private static int wrap(int port) {
        return 20_000 + Math.floorMod(port - 20_000, 12_000);
    }
}
