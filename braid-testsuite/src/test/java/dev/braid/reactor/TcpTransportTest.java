package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The transport's addresses, options and writes, against a plain blocking socket. */
@Tag("loopback")
class TcpTransportTest {

  private static int listen(RunningReactor r, CompletableFuture<RecordingProtocol> accepted) {
    return r.listen(
        a -> {
          RecordingProtocol p = new RecordingProtocol();
          accepted.complete(p);
          return p;
        });
  }

  @Test
  void hostAndPeerAreTheTwoEndsOfTheSocket() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        Transport t = RunningReactor.get(accepted).awaitTransport();
        assertThat(t.getHost()).isEqualTo(peer.getRemoteSocketAddress());
        assertThat(t.getPeer()).isEqualTo(peer.getLocalSocketAddress());
        assertThat(t.getPeer()).isEqualTo(new InetSocketAddress("127.0.0.1", peer.getLocalPort()));
      }
    }
  }

  @Test
  void tcpOptionsCanBeSetAndAreIgnoredOnceClosed() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        RecordingProtocol server = RunningReactor.get(accepted);
        Transport t = server.awaitTransport();
        r.run(
            () -> {
              t.setTcpNoDelay(true);
              t.setTcpKeepAlive(true);
              t.abortConnection();
              t.setTcpNoDelay(false); // closed: ignored
            });
        server.awaitLost();
        assertThat(peer.isConnected()).isTrue();
      }
    }
  }

  @Test
  void writeSequenceSendsThePiecesInOrder() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        Transport t = RunningReactor.get(accepted).awaitTransport();
        r.run(
            () -> {
              t.writeSequence(
                  List.of(
                      "one ".getBytes(StandardCharsets.US_ASCII),
                      new byte[0],
                      "two ".getBytes(StandardCharsets.US_ASCII),
                      "three".getBytes(StandardCharsets.US_ASCII)));
              t.loseConnection();
            });
        InputStream in = peer.getInputStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("one two three");
      }
    }
  }

  @Test
  void pausingTheTransportStopsReadingUntilResumed() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        RecordingProtocol server = RunningReactor.get(accepted);
        Transport t = server.awaitTransport();
        r.run(t::pauseProducing);
        peer.getOutputStream().write("held back".getBytes(StandardCharsets.US_ASCII));
        peer.getOutputStream().flush();
        // Several loop iterations later nothing has been read.
        for (int i = 0; i < 20; i++) {
          assertThat(r.call(server::received)).isEmpty();
        }
        r.run(t::resumeProducing);
        peer.shutdownOutput();
        server.awaitLost();
        assertThat(r.call(server::received)).asString().isEqualTo("held back");
      }
    }
  }
}
