package dev.braid.tls;

import static dev.braid.test.DeferredAssertions.failureResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.net.Protocol;
import dev.braid.test.ConnectedPair;
import dev.braid.test.TestCa;
import dev.braid.tls.TlsException.Kind;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failed handshakes: each names the peer and the reason, the client's as a failed handshake
 * Deferred, the server's through its factory's handler; neither protocol is ever connected.
 */
class TlsFailureTest {
  private final VirtualClock clock = VirtualClock.create();
  private final List<TlsException> serverFailures = new ArrayList<>();
  private final Peer server = new Peer();
  private final Peer client = new Peer();

  private Protocol serverProtocol(TlsServerOptions options) {
    return Tls.serverFactory(clock, options, address -> server)
        .onHandshakeFailure(serverFailures::add)
        .buildProtocol(new InetSocketAddress("10.0.0.2", 50000));
  }

  /** Connects, runs the handshake to its end, and returns the client's failure. */
  private TlsException clientFailure(TlsServerOptions serverOptions, TlsClientOptions options) {
    TlsProtocol tlsClient = Tls.client(clock, options, client);
    Deferred<TlsTransport> handshake = tlsClient.handshake();
    ConnectedPair.builder().clock(clock).connect(serverProtocol(serverOptions), tlsClient).flush();
    assertThat(client.isConnected()).isFalse();
    assertThat(server.isConnected()).isFalse();
    return (TlsException) failureResultOf(handshake).value();
  }

  @Test
  void aCertificateFromAnUnknownCaIsUntrusted() {
    TlsException failure =
        clientFailure(
            Certs.server(),
            TlsClientOptions.forHost("localhost").trusting(TestCa.create().certificate()));
    assertThat(failure.kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
    assertThat(failure.getMessage())
        .startsWith(
            "TLS handshake with localhost (10.0.0.1:10000) failed: the server's certificate is"
                + " not trusted (");
    assertThat(failure.peer()).isEqualTo("localhost (10.0.0.1:10000)");
    assertThat(serverFailures)
        .singleElement()
        .extracting(TlsException::kind)
        .isEqualTo(Kind.CERTIFICATE_REJECTED);
    assertThat(serverFailures.get(0).getMessage())
        .startsWith(
            "TLS handshake with 10.0.0.2:50000 failed: the client rejected this end's"
                + " certificate");
  }

  @Test
  void theJdksDefaultRootsDoNotTrustATestCa() {
    assertThat(clientFailure(Certs.server(), TlsClientOptions.forHost("localhost")).kind())
        .isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
  }

  @Test
  void aCertificateForAnotherNameIsAHostNameMismatch() {
    TlsException failure =
        clientFailure(
            Certs.server(),
            TlsClientOptions.forHost("poetry.example").trusting(Certs.CA.certificate()));
    assertThat(failure.kind()).isEqualTo(Kind.HOST_NAME_MISMATCH);
    assertThat(failure.getMessage()).contains("poetry.example").contains("not valid for that host");
  }

  @Test
  void anExpiredCertificateIsSaidToBeExpired() {
    Instant now = Instant.now();
    var expired =
        Certs.CA
            .certificate("localhost")
            .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)))
            .issue();
    TlsException failure =
        clientFailure(TlsServerOptions.of(expired.chain(), expired.privateKey()), Certs.client());
    assertThat(failure.kind()).isEqualTo(Kind.EXPIRED_CERTIFICATE);
  }

  @Test
  void noCommonVersionIsAProtocolVersionFailure() {
    TlsException failure =
        clientFailure(
            Certs.server().withProtocols("TLSv1.3"), Certs.client().withProtocols("TLSv1.2"));
    assertThat(failure.kind()).isEqualTo(Kind.PROTOCOL_VERSION);
    assertThat(serverFailures)
        .singleElement()
        .extracting(TlsException::kind)
        .isEqualTo(Kind.PROTOCOL_VERSION);
  }

  @Test
  void aRequiredClientCertificateThatIsMissingFailsOnTheServer() {
    TlsProtocol tlsClient = Tls.client(clock, Certs.client().withProtocols("TLSv1.2"), client);
    Deferred<TlsTransport> handshake = tlsClient.handshake();
    ConnectedPair.builder()
        .clock(clock)
        .connect(
            serverProtocol(
                Certs.server().requireClientCertificate(List.of(Certs.CA.certificate()))),
            tlsClient)
        .flush();
    assertThat(serverFailures)
        .singleElement()
        .extracting(TlsException::kind)
        .isEqualTo(Kind.CLIENT_CERTIFICATE_REQUIRED);
    assertThat(((TlsException) failureResultOf(handshake).value()).kind())
        .isIn(Kind.CLIENT_CERTIFICATE_REQUIRED, Kind.HANDSHAKE_FAILED);
    assertThat(server.isConnected()).isFalse();
  }

  @Test
  void aServerThatNeverAnswersFailsTheClientAfterTheDeadline() {
    TlsProtocol tlsClient =
        Tls.client(clock, Certs.client().withHandshakeTimeout(Duration.ofSeconds(3)), client);
    Deferred<TlsTransport> handshake = tlsClient.handshake();
    ConnectedPair<Peer, TlsProtocol> pair =
        ConnectedPair.builder().clock(clock).connect(new Peer(), tlsClient);
    pair.advance(2.9);
    assertThat(handshake.isCalled()).isFalse();
    pair.advance(0.2);
    TlsException failure = (TlsException) failureResultOf(handshake).value();
    assertThat(failure.kind()).isEqualTo(Kind.HANDSHAKE_TIMEOUT);
    assertThat(failure.getMessage())
        .isEqualTo(
            "TLS handshake with localhost (10.0.0.1:10000) failed: the handshake did not finish"
                + " within 3 seconds");
    assertThat(pair.isClosed()).isTrue();
  }

  @Test
  void aClientThatNeverSpeaksIsCutAfterTenSecondsByDefault() {
    ConnectedPair<Protocol, Peer> pair =
        ConnectedPair.builder().clock(clock).connect(serverProtocol(Certs.server()), new Peer());
    pair.advance(9.9);
    assertThat(pair.isClosed()).isFalse();
    pair.advance(0.1);
    assertThat(pair.isClosed()).isTrue();
    assertThat(serverFailures)
        .singleElement()
        .extracting(TlsException::kind)
        .isEqualTo(Kind.HANDSHAKE_TIMEOUT);
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @Test
  void garbageInsteadOfAClientHelloIsNotTls() {
    ConnectedPair<Protocol, Peer> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(serverProtocol(Certs.server()), Peer.greeting("\u0001\u0002garbage!!", false));
    pair.flush();
    assertThat(pair.isClosed()).isTrue();
    TlsException failure = serverFailures.get(0);
    assertThat(failure.kind()).isEqualTo(Kind.NOT_TLS);
    assertThat(failure.getMessage())
        .startsWith(
            "TLS handshake with 10.0.0.2:50000 failed: the client does not speak TLS: its first"
                + " bytes are 01 02 67 61 72 62 61 67");
  }

  @Test
  void anHttpRequestOnATlsPortIsSaidToBeOne() {
    ConnectedPair<Protocol, Peer> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(
                serverProtocol(Certs.server()),
                Peer.greeting("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", false));
    pair.flush();
    assertThat(pair.isClosed()).isTrue();
    assertThat(serverFailures.get(0).getMessage())
        .contains("the client does not speak TLS: it sent a plaintext HTTP request");
  }

  @Test
  void aClientThatClosesBeforeSpeakingIsReportedAsSuch() {
    ConnectedPair<Protocol, Peer> pair =
        ConnectedPair.builder().clock(clock).connect(serverProtocol(Certs.server()), new Peer());
    pair.close(ConnectedPair.Side.CLIENT);
    pair.flush();
    assertThat(serverFailures.get(0).kind()).isEqualTo(Kind.CLOSED_DURING_HANDSHAKE);
    assertThat(serverFailures.get(0).getMessage())
        .isEqualTo(
            "TLS handshake with 10.0.0.2:50000 failed: the client closed the connection before"
                + " sending anything");
  }

  @Test
  void aTruncatedRecordIsCutByTheDeadline() {
    byte[] header = {0x16, 0x03, 0x01, 0x40, 0x00}; // a handshake record of 16 KiB...
    Peer liar =
        new Peer() {
          @Override
          protected void connectionMade() {
            rawTransport().write(header);
            rawTransport().write(new byte[100]); // ...of which 100 bytes come
          }
        };
    ConnectedPair<Protocol, Peer> pair =
        ConnectedPair.builder().clock(clock).connect(serverProtocol(Certs.server()), liar);
    pair.flush();
    assertThat(pair.isClosed()).isFalse();
    pair.advance(10);
    assertThat(pair.isClosed()).isTrue();
    assertThat(serverFailures.get(0).kind()).isEqualTo(Kind.HANDSHAKE_TIMEOUT);
  }

  @Test
  void aRecordLongerThanTlsAllowsIsRejectedAtOnce() {
    Peer liar =
        new Peer() {
          @Override
          protected void connectionMade() {
            rawTransport().write(new byte[] {0x16, 0x03, 0x03, (byte) 0xFF, (byte) 0xFF});
          }
        };
    ConnectedPair<Protocol, Peer> pair =
        ConnectedPair.builder().clock(clock).connect(serverProtocol(Certs.server()), liar);
    pair.flush();
    assertThat(pair.isClosed()).isTrue();
    assertThat(serverFailures.get(0).kind()).isIn(Kind.HANDSHAKE_FAILED, Kind.NOT_TLS);
  }

  @Test
  void clientOptionsWithoutAHostAreRefusedAtOnce() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Tls.client(clock, TlsClientOptions.defaults(), client))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host name");
  }
}
