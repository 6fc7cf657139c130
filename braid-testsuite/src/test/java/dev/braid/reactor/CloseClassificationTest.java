package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How a connection ended, as its protocol is told: a clean end of stream is {@link ConnectionDone},
 * a reset {@link ConnectionLost}, a local abort {@link ConnectionAborted} (and the peer sees a
 * reset). The peer here is a plain blocking {@link Socket}.
 */
@Tag("loopback")
class CloseClassificationTest {

  /** Listens on loopback; each accepted connection gets the next protocol from {@code next}. */
  private static int listen(RunningReactor r, CompletableFuture<RecordingProtocol> accepted) {
    return r.listen(
        address -> {
          RecordingProtocol p = new RecordingProtocol();
          accepted.complete(p);
          return p;
        });
  }

  @Test
  void aPeerThatClosesCleanlyGivesConnectionDone() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        peer.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
        RunningReactor.get(accepted).awaitTransport();
      }
      RecordingProtocol server = RunningReactor.get(accepted);
      ConnectionEnd reason = server.awaitLost();
      assertThat(reason).isInstanceOf(ConnectionDone.class);
      assertThat(r.call(server::received)).asString().isEqualTo("bye");
      assertThat(server.lostCalls).hasValue(1);
    }
  }

  @Test
  void aPeerThatResetsGivesConnectionLost() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        RunningReactor.get(accepted).awaitTransport();
        peer.setSoLinger(true, 0); // close with RST
      }
      ConnectionEnd reason = RunningReactor.get(accepted).awaitLost();
      assertThat(reason).isExactlyInstanceOf(ConnectionLost.class);
      assertThat(reason.getCause()).isInstanceOf(IOException.class);
      assertThat(reason).hasMessageStartingWith("Connection lost: ");
    }
  }

  @Test
  void aLocalAbortGivesConnectionAbortedAndThePeerSeesAReset() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        RecordingProtocol server = RunningReactor.get(accepted);
        Transport transport = server.awaitTransport();
        r.run(
            () -> {
              transport.write("never mind".getBytes(StandardCharsets.US_ASCII));
              server.closeWith(transport::abortConnection);
              assertThat(transport.isDisconnecting()).isTrue();
              server.closeWith(transport::abortConnection); // idempotent
            });
        assertThat(server.awaitLost()).isInstanceOf(ConnectionAborted.class);
        InputStream in = peer.getInputStream();
        assertThatThrownBy(
                () -> {
                  // Whatever arrived before the reset may be read first; then the reset shows.
                  while (in.read() >= 0) {
                    // drain
                  }
                })
            .isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
        assertThat(server.lostCalls).hasValue(1);
      }
    }
  }

  @Test
  void loseConnectionSendsEverythingWrittenThenEndsCleanlyOnBothSides() throws IOException {
    byte[] payload = "x".repeat(3_000_000).getBytes(StandardCharsets.US_ASCII);
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        RecordingProtocol server = RunningReactor.get(accepted);
        Transport transport = server.awaitTransport();
        r.run(
            () -> {
              transport.write(payload);
              server.closeWith(transport::loseConnection);
              assertThat(transport.isDisconnecting()).isTrue();
              transport.loseConnection(); // idempotent
            });
        byte[] got = peer.getInputStream().readAllBytes(); // ends with EOF, not a reset
        assertThat(got).hasSize(payload.length);
        assertThat(server.awaitLost()).isInstanceOf(ConnectionDone.class);
        assertThat(server.lostCalls).hasValue(1);
      }
    }
  }

  @Test
  void writesAfterTheConnectionClosedAreIgnored() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      int port = listen(r, accepted);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        RecordingProtocol server = RunningReactor.get(accepted);
        Transport transport = server.awaitTransport();
        r.run(transport::abortConnection);
        server.awaitLost();
        r.run(
            () -> {
              transport.write(new byte[] {1, 2, 3});
              transport.loseConnection();
              transport.abortConnection();
            });
        assertThat(server.lostCalls).hasValue(1);
        assertThat(peer.isConnected()).isTrue();
      }
    }
  }
}
