package dev.braid.tls;

import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.test.ConnectedPair;
import dev.braid.test.TestCa;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * startTls on an established connection: an SMTP-like exchange upgrades from plaintext to TLS on
 * command, over the in-memory pair.
 */
class StartTlsTest {
  private final VirtualClock clock = VirtualClock.create();

  /**
   * The server side: answers "STARTTLS\n" with "GO\n" and starts TLS; echoes everything else in
   * upper case, and closes on "QUIT\n".
   */
  private static final class Server extends BaseProtocol {
    final TlsServerOptions options;
    final StringBuilder received = new StringBuilder();
    final List<ConnectionEnd> lost = new ArrayList<>();
    Deferred<TlsTransport> handshake;

    Server(TlsServerOptions options) {
      this.options = options;
    }

    @Override
    public void dataReceived(byte[] data) {
      String text = new String(data, UTF_8);
      received.append(text);
      if (text.equals("STARTTLS\n")) {
        transport().write("GO\n".getBytes(UTF_8));
        handshake = ((TlsTransport) transport()).startTls(options);
      } else if (text.equals("QUIT\n")) {
        transport().loseConnection();
      } else {
        transport().write(text.toUpperCase().getBytes(UTF_8));
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      lost.add(reason);
    }
  }

  /** The client side: asks for TLS, starts it on "GO\n", then writes its message at once. */
  private static final class Client extends BaseProtocol {
    final TlsClientOptions options;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<ConnectionEnd> lost = new ArrayList<>();
    Deferred<TlsTransport> handshake;

    Client(TlsClientOptions options) {
      this.options = options;
    }

    @Override
    protected void connectionMade() {
      transport().write("STARTTLS\n".getBytes(UTF_8));
    }

    @Override
    public void dataReceived(byte[] data) {
      received.writeBytes(data);
      if (handshake == null && new String(data, UTF_8).equals("GO\n")) {
        handshake = ((TlsTransport) transport()).startTls(options);
        transport().write("secret\n".getBytes(UTF_8)); // waits for the handshake
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      lost.add(reason);
    }

    String text() {
      return received.toString(UTF_8);
    }

    TlsTransport tls() {
      return (TlsTransport) transport();
    }
  }

  private ConnectedPair<TlsProtocol, TlsProtocol> connect(Server server, Client client) {
    return ConnectedPair.builder()
        .clock(clock)
        .connect(Tls.upgradable(clock, server), Tls.upgradable(clock, client));
  }

  @Test
  void theConnectionUpgradesAndTheWriteAfterStartTlsGoesOutEncrypted() {
    Server server = new Server(Certs.server());
    Client client = new Client(Certs.client());
    ConnectedPair<TlsProtocol, TlsProtocol> pair = connect(server, client);
    TlsTransport clientTransport = client.tls();
    assertThat(clientTransport.isSecure()).isFalse();
    pair.flush();
    assertThat(successResultOf(client.handshake)).isSameAs(clientTransport);
    assertThat(successResultOf(server.handshake).isSecure()).isTrue();
    assertThat(clientTransport.protocolVersion()).contains("TLSv1.3");
    assertThat(server.received.toString()).isEqualTo("STARTTLS\nsecret\n");
    assertThat(client.text()).isEqualTo("GO\nSECRET\n");
  }

  @Test
  void bytesAfterTheUpgradeAreNotPlaintextOnTheWire() {
    Server server = new Server(Certs.server());
    Client client = new Client(Certs.client());
    ConnectedPair<TlsProtocol, TlsProtocol> pair = connect(server, client);
    pair.flush();
    pair.toServer().hold();
    client.tls().write("a very secret line\n".getBytes(UTF_8));
    int pending = pair.toServer().pending();
    assertThat(pending).isGreaterThan("a very secret line\n".length());
    pair.toServer().release();
    pair.flush();
    assertThat(client.text()).endsWith("A VERY SECRET LINE\n");
  }

  @Test
  void closingAfterTheUpgradeIsClean() {
    Server server = new Server(Certs.server());
    Client client = new Client(Certs.client());
    ConnectedPair<TlsProtocol, TlsProtocol> pair = connect(server, client);
    pair.flush();
    client.tls().write("QUIT\n".getBytes(UTF_8));
    pair.flush();
    assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionDone.class);
  }

  @Test
  void aFailedUpgradeFailsItsDeferredAndLosesTheConnectionWithTheReason() {
    Server server = new Server(Certs.server());
    Client client =
        new Client(TlsClientOptions.forHost("localhost").trusting(TestCa.create().certificate()));
    ConnectedPair<TlsProtocol, TlsProtocol> pair = connect(server, client);
    pair.flush();
    TlsException failure = (TlsException) failureResultOf(client.handshake).value();
    assertThat(failure.kind()).isEqualTo(TlsException.Kind.UNTRUSTED_CERTIFICATE);
    assertThat(client.lost).singleElement().isInstanceOf(ConnectionLost.class);
    assertThat(client.lost.get(0).getCause()).isSameAs(failure);
    assertThat(((TlsException) failureResultOf(server.handshake).value()).kind())
        .isEqualTo(TlsException.Kind.CERTIFICATE_REJECTED);
    assertThat(server.received.toString()).isEqualTo("STARTTLS\n");
  }

  @Test
  void anUpgradableFactoryWrapsEachProtocol() {
    Server server = new Server(Certs.server());
    Client client = new Client(Certs.client());
    dev.braid.net.Factory factory = Tls.upgradableFactory(clock, address -> server);
    dev.braid.net.Protocol wrapped =
        factory.buildProtocol(new java.net.InetSocketAddress("10.0.0.2", 50000));
    assertThat(((TlsProtocol) wrapped).wrappedProtocol()).isSameAs(server);
    ConnectedPair.builder().clock(clock).connect(wrapped, Tls.upgradable(clock, client)).flush();
    assertThat(client.text()).isEqualTo("GO\nSECRET\n");
    assertThat(Tls.upgradableFactory(clock, address -> null).buildProtocol(null)).isNull();
  }

  @Test
  void startTlsTwiceIsRefused() {
    Server server = new Server(Certs.server());
    Client client = new Client(Certs.client());
    ConnectedPair<TlsProtocol, TlsProtocol> pair = connect(server, client);
    pair.flush();
    assertThatThrownBy(() -> client.tls().startTls(Certs.client()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already");
  }

  @Test
  void aTransportWrappedForTlsFromTheStartCannotStartItAgain() {
    Peer server = new Peer();
    Peer client = new Peer();
    ConnectedPair.builder()
        .clock(clock)
        .connect(
            Tls.server(clock, Certs.server(), server), Tls.client(clock, Certs.client(), client))
        .flush();
    assertThatThrownBy(() -> client.tls().startTls(Certs.client()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void beforeTheUpgradeThePlaintextConnectionClosesAsTheTransportBelowSays() {
    Server server = new Server(Certs.server());
    BaseProtocol quiet = new BaseProtocol() {};
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(Tls.upgradable(clock, server), Tls.upgradable(clock, quiet));
    pair.close(ConnectedPair.Side.CLIENT);
    pair.flush();
    assertThat(server.lost).singleElement().isInstanceOf(ConnectionDone.class);
  }
}
