package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.test.ConnectedPair;
import dev.braid.test.ConnectedPair.Side;
import org.junit.jupiter.api.Test;

/**
 * How TLS connections end: close_notify is a clean close; a close without it is a lost connection
 * (truncation), never a clean one.
 */
class TlsCloseTest {
  private final VirtualClock clock = VirtualClock.create();
  private final Peer server = new Peer();
  private final Peer client = new Peer();
  private final ConnectedPair<TlsProtocol, TlsProtocol> pair =
      ConnectedPair.builder()
          .clock(clock)
          .connect(
              Tls.server(clock, Certs.server(), server), Tls.client(clock, Certs.client(), client));

  private static TlsException.Kind tlsKind(ConnectionEnd end) {
    assertThat(end).isInstanceOf(ConnectionLost.class);
    assertThat(end.getCause()).isInstanceOf(TlsException.class);
    return ((TlsException) end.getCause()).kind();
  }

  @Test
  void loseConnectionSendsWhatWasWrittenThenCloseNotifyAndBothEndsAreDone() {
    pair.flush();
    server.send("the whole poem");
    server.rawTransport().loseConnection();
    assertThat(server.rawTransport().isDisconnecting()).isTrue();
    pair.flush();
    assertThat(client.text()).isEqualTo("the whole poem");
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
    assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
    assertThat(pair.isClosed()).isTrue();
  }

  @Test
  void theClientClosingIsCleanForBoth() {
    pair.flush();
    client.send("bye");
    client.rawTransport().loseConnection();
    pair.flush();
    assertThat(server.text()).isEqualTo("bye");
    assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
  }

  @Test
  void aCloseWithoutCloseNotifyIsALostConnectionNeverADoneOne() {
    pair.flush();
    server.send("half a po");
    pair.flush();
    pair.close(Side.SERVER); // the TCP connection ends cleanly, but TLS never said goodbye
    pair.flush();
    assertThat(client.text()).isEqualTo("half a po");
    assertThat(tlsKind(client.lost.get(0))).isEqualTo(TlsException.Kind.TRUNCATED);
    assertThat(client.lost.get(0).getMessage())
        .startsWith(
            "TLS with localhost (10.0.0.1:10000) failed: the server closed the connection"
                + " without close_notify");
  }

  @Test
  void aResetIsALostConnectionWithTheResetsReason() {
    pair.flush();
    pair.reset(Side.SERVER);
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionLost.class);
    assertThat(client.lost.get(0).getMessage()).isEqualTo("Connection reset by peer");
    assertThat(server.lost.get(0).getMessage()).isEqualTo("Connection reset");
  }

  @Test
  void abortConnectionIsAnAbortedConnection() {
    pair.flush();
    client.rawTransport().abortConnection();
    pair.flush();
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionAborted.class);
    assertThat(server.lost).singleElement().isInstanceOf(ConnectionLost.class);
    assertThat(server.lost.get(0).getMessage()).isEqualTo("Connection reset by peer");
  }

  @Test
  void writesAfterLoseConnectionAreDropped() {
    pair.flush();
    server.rawTransport().loseConnection();
    server.send("too late");
    pair.flush();
    assertThat(client.text()).isEmpty();
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
  }

  @Test
  void loseConnectionFromConnectionMadeStillSendsTheGreeting() {
    Peer greeter = Peer.greeting("a short poem\n", true);
    Peer reader = new Peer();
    ConnectedPair.builder()
        .clock(clock)
        .connect(
            Tls.server(clock, Certs.server(), greeter), Tls.client(clock, Certs.client(), reader))
        .flush();
    assertThat(reader.text()).isEqualTo("a short poem\n");
    assertThat(reader.lost).singleElement().isInstanceOf(ConnectionDone.class);
  }

  @Test
  void aConnectionLostDuringTheHandshakeNeverReachesTheProtocols() {
    pair.toClient().hold(); // the server's answer never arrives
    pair.flush();
    pair.reset(Side.CLIENT);
    assertThat(client.isConnected()).isFalse();
    assertThat(client.lost).isEmpty();
    assertThat(server.lost).isEmpty();
  }
}
