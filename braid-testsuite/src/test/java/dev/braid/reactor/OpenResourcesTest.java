package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a reactor reports as open ({@code listeningPorts}, {@code connectionAttempts}, {@code
 * openConnections}): what a test janitor relies on.
 */
@Tag("loopback")
class OpenResourcesTest {

  private static ClientFactory clientOf(RecordingProtocol protocol) {
    return address -> protocol;
  }

  @Test
  void aListeningPortIsListedUntilItStopsListening() {
    try (RunningReactor r = RunningReactor.start()) {
      ListeningPort port =
          r.call(
              () -> r.reactor().listenTCP(0, a -> null, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1"));
      assertThat(r.call(r.reactor()::listeningPorts)).containsExactly(port);
      r.await(port::stopListening);
      assertThat(r.call(r.reactor()::listeningPorts)).isEmpty();
    }
  }

  @Test
  void aConnectionAttemptIsListedUntilItConnectsAndBothEndsAreListedUntilClosed() {
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<RecordingProtocol> accepted = new CompletableFuture<>();
      ListeningPort port =
          r.call(
              () ->
                  r.reactor()
                      .listenTCP(
                          0,
                          a -> {
                            RecordingProtocol p = new RecordingProtocol();
                            accepted.complete(p);
                            return p;
                          },
                          ReactorTcp.DEFAULT_BACKLOG,
                          "127.0.0.1"));
      RecordingProtocol client = new RecordingProtocol();
      List<Connector> attempts =
          r.call(
              () -> {
                Connector connector =
                    r.reactor()
                        .connectTCP(
                            "127.0.0.1", port.getHost().getPort(), clientOf(client), null, null);
                assertThat(r.reactor().connectionAttempts()).containsExactly(connector);
                return r.reactor().connectionAttempts();
              });
      assertThat(attempts).hasSize(1);
      Transport clientEnd = client.awaitTransport();
      Transport serverEnd = RunningReactor.get(accepted).awaitTransport();
      assertThat(r.call(r.reactor()::connectionAttempts)).isEmpty();
      assertThat(r.call(r.reactor()::openConnections))
          .containsExactlyInAnyOrder(clientEnd, serverEnd);

      r.run(clientEnd::abortConnection);
      assertThat(r.call(r.reactor()::openConnections)).doesNotContain(clientEnd);
      RunningReactor.get(accepted).awaitLost();
      client.awaitLost();
      assertThat(r.call(r.reactor()::openConnections)).isEmpty();
      r.await(port::stopListening);
    }
  }

  @Test
  void aFailedConnectionAttemptIsNoLongerListed() {
    try (RunningReactor r = RunningReactor.start()) {
      int closedPort =
          r.call(
              () -> {
                ListeningPort p =
                    r.reactor().listenTCP(0, a -> null, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
                p.stopListening();
                return p.getHost().getPort();
              });
      CompletableFuture<Connector> failed = new CompletableFuture<>();
      r.run(
          () ->
              r.reactor()
                  .connectTCP(
                      "127.0.0.1",
                      closedPort,
                      new ClientFactory() {
                        @Override
                        public Protocol buildProtocol(InetSocketAddress address) {
                          return null;
                        }

                        @Override
                        public void clientConnectionFailed(
                            Connector connector, ConnectError reason) {
                          failed.complete(connector);
                        }
                      },
                      null,
                      null));
      RunningReactor.get(failed);
      assertThat(r.call(r.reactor()::connectionAttempts)).isEmpty();
    }
  }

  @Test
  void theSnapshotsAreReactorThreadOnlyAndUnmodifiable() {
    try (RunningReactor r = RunningReactor.start()) {
      assertThatThrownBy(r.reactor()::listeningPorts)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("listeningPorts() must be called on the reactor thread");
      assertThatThrownBy(r.reactor()::connectionAttempts)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("connectionAttempts()");
      assertThatThrownBy(r.reactor()::openConnections)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("openConnections()");
      List<ListeningPort> ports = r.call(r.reactor()::listeningPorts);
      assertThatThrownBy(() -> ports.add(null)).isInstanceOf(UnsupportedOperationException.class);
    }
  }
}
