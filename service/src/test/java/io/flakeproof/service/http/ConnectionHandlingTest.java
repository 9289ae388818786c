package io.flakeproof.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.flakeproof.generator.ManualClock;
import io.flakeproof.service.http.NodeChannel.Reply;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionHandlingTest {

    private final NodeChannel node = new NodeChannel(NodeChannel.staticNode(new ManualClock(NodeChannel.NOW)));

    @Test
    void keepsTheConnectionForOneRequestAfterAnother() {
        final Reply first = node.post("/ids");
        final Reply second = node.get("/health");

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(first.header(HttpHeaderNames.CONNECTION)).isNull();
        assertThat(node.channel.isOpen()).isTrue();
    }

    @Test
    void answersPipelinedRequestsInOrder() {
        final List<Reply> replies = node.sendRaw("POST /ids?count=2 HTTP/1.1\r\nHost: node\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: node\r\n\r\n"
                + "POST /ids HTTP/1.1\r\nHost: node\r\n\r\n");

        assertThat(replies).extracting(Reply::status).containsExactly(200, 404, 200);
        assertThat(replies.get(2).jsonIds()[0]).isGreaterThan(replies.get(0).jsonIds()[1]);
        assertThat(node.channel.isOpen()).isTrue();
    }

    @Test
    void keepsTheConnectionAfterAnErrorResponse() {
        assertThat(node.post("/ids?count=0").status()).isEqualTo(400);
        assertThat(node.post("/ids").status()).isEqualTo(200);
        assertThat(node.channel.isOpen()).isTrue();
    }

    @Test
    void closesWhenTheClientAsksTo() {
        final Reply reply = node.post("/ids", "Connection: close");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(node.channel.isOpen()).isFalse();
    }

    @Test
    void closesAfterAnHttp10RequestWithoutKeepAlive() {
        final List<Reply> replies = node.sendRaw("GET /health HTTP/1.0\r\n\r\n");

        assertThat(replies).extracting(Reply::status).containsExactly(200);
        assertThat(node.channel.isOpen()).isFalse();
    }

    @Test
    void closesAfterEachResponseWhileDraining() {
        node.inFlight().drain();

        final Reply reply = node.post("/ids");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        assertThat(node.channel.isOpen()).isFalse();
    }

    @Test
    void countsARequestInFlightUntilItsResponseIsWritten() {
        node.post("/ids");
        node.post("/ids?count=0");

        assertThat(node.inFlight().count()).isZero();
    }
}
