package dev.braid.tls;

import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.test.ConnectedPair;
import dev.braid.test.IssuedCertificate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Handshakes and data over the test kit's in-memory pair, on virtual time. */
class TlsHandshakeTest {
  private final VirtualClock clock = VirtualClock.create();

  private ConnectedPair<TlsProtocol, TlsProtocol> pair(
      TlsServerOptions serverOptions, Peer server, TlsClientOptions clientOptions, Peer client) {
    return ConnectedPair.builder()
        .clock(clock)
        .connect(
            Tls.server(clock, serverOptions, server), Tls.client(clock, clientOptions, client));
  }

  @Test
  void theProtocolsAreConnectedOnlyOnceTheHandshakeHasFinished() {
    Peer server = Peer.echo();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client(), client);
    Deferred<TlsTransport> handshake = pair.client().handshake();
    assertThat(server.isConnected()).isFalse();
    assertThat(client.isConnected()).isFalse();
    pair.flush();
    assertThat(server.isConnected()).isTrue();
    assertThat(client.isConnected()).isTrue();
    assertThat(successResultOf(handshake)).isSameAs(client.tls());
    assertThat(clock.getDelayedCalls()).as("the deadlines are cancelled").isEmpty();
  }

  @Test
  void bytesGoBothWaysExactlyAndEncrypted() {
    Peer server = Peer.echo();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client(), client);
    pair.flush();
    pair.toServer().hold();
    client.send("a secret poem");
    assertThat(pair.toServer().pending()).isGreaterThan("a secret poem".length());
    pair.toServer().release();
    pair.flush();
    assertThat(server.text()).isEqualTo("a secret poem");
    assertThat(client.text()).isEqualTo("a secret poem");
  }

  @Test
  void tls13ByDefaultWithTheServersChainSeenByTheClient() {
    Peer server = new Peer();
    Peer client = new Peer();
    pair(Certs.server(), server, Certs.client(), client).flush();
    assertThat(client.tls().protocolVersion()).contains("TLSv1.3");
    assertThat(server.tls().protocolVersion()).contains("TLSv1.3");
    assertThat(client.tls().peerCertificates()).isEqualTo(Certs.LOCALHOST.chain());
    assertThat(server.tls().peerCertificates()).isEmpty();
    assertThat(client.tls().isSecure()).isTrue();
    assertThat(client.tls().session()).isPresent();
    assertThat(server.tls().requestedServerName()).contains("localhost");
  }

  @Test
  void tls12WhenTheClientOffersNothingElse() {
    Peer server = Peer.echo();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client().withProtocols("TLSv1.2"), client);
    pair.flush();
    client.send("twelve");
    pair.flush();
    assertThat(server.tls().protocolVersion()).contains("TLSv1.2");
    assertThat(client.text()).isEqualTo("twelve");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 7, 100, 1500})
  void anyChunkingDeliversTheSameBytes(int chunk) {
    Peer server = Peer.echo();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client(), client);
    pair.toServer().chunkSize(chunk);
    pair.toClient().chunkSize(chunk);
    pair.flush();
    String text = "Whose woods these are I think I know. ".repeat(100);
    client.send(text);
    pair.flush();
    assertThat(client.text()).isEqualTo(text);
  }

  @Test
  void randomChunkingDeliversTheSameBytes() {
    long seed = new Random().nextLong();
    Peer server = Peer.echo();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client(), client);
    pair.toServer().randomChunks(seed, 40);
    pair.toClient().randomChunks(seed + 1, 40);
    pair.flush();
    byte[] data = new byte[50_000];
    new Random(seed).nextBytes(data);
    client.rawTransport().write(data);
    pair.flush();
    assertThat(client.received.toByteArray()).as("seed %d", seed).isEqualTo(data);
  }

  @Test
  void aLargeWriteArrivesWhole() {
    Peer server = new Peer();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client(), client);
    pair.flush();
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(data);
    server.rawTransport().write(data);
    pair.flush();
    assertThat(client.received.toByteArray()).isEqualTo(data);
  }

  @Test
  void alpnPicksTheServersFirstChoiceThatTheClientOffers() {
    Peer server = new Peer();
    Peer client = new Peer();
    pair(
            Certs.server().withApplicationProtocols("http/1.1", "poetry/1"),
            server,
            Certs.client().withApplicationProtocols("poetry/1", "http/1.1"),
            client)
        .flush();
    assertThat(server.tls().applicationProtocol()).contains("http/1.1");
    assertThat(client.tls().applicationProtocol()).contains("http/1.1");
  }

  @Test
  void noAlpnMeansNoApplicationProtocol() {
    Peer server = new Peer();
    Peer client = new Peer();
    pair(Certs.server(), server, Certs.client(), client).flush();
    assertThat(client.tls().applicationProtocol()).isEmpty();
  }

  @Test
  void noCommonAlpnFailsTheHandshake() {
    Peer server = new Peer();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(
            Certs.server().withApplicationProtocols("h2"),
            server,
            Certs.client().withApplicationProtocols("poetry/1"),
            client);
    Deferred<TlsTransport> handshake = pair.client().handshake();
    pair.flush();
    TlsException failure = (TlsException) failureResultOf(handshake).value();
    assertThat(failure.kind()).isEqualTo(TlsException.Kind.NO_APPLICATION_PROTOCOL);
    assertThat(client.isConnected()).isFalse();
    assertThat(server.isConnected()).isFalse();
  }

  @Test
  void sniChoosesTheCertificateForTheNameAsked() {
    IssuedCertificate poems = Certs.CA.issue("poems.test");
    IssuedCertificate songs = Certs.CA.issue("songs.test");
    TlsServerOptions serverOptions =
        TlsServerOptions.of(poems.chain(), poems.privateKey())
            .withCertificate(songs.chain(), songs.privateKey());
    Peer server = new Peer();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(
            serverOptions,
            server,
            TlsClientOptions.forHost("songs.test").trusting(Certs.CA.certificate()),
            client);
    Deferred<TlsTransport> handshake = pair.client().handshake();
    pair.flush();
    successResultOf(handshake);
    assertThat(client.tls().peerCertificates().get(0)).isEqualTo(songs.certificate());
    assertThat(server.tls().requestedServerName()).contains("songs.test");
    assertThat(client.tls().requestedServerName()).contains("songs.test");
  }

  @Test
  void anIpAddressIsVerifiedAgainstTheCertificatesIpAndSendsNoSni() {
    Peer server = new Peer();
    Peer client = new Peer();
    pair(
            Certs.server(),
            server,
            TlsClientOptions.forHost("127.0.0.1").trusting(Certs.CA.certificate()),
            client)
        .flush();
    assertThat(client.isConnected()).isTrue();
    assertThat(server.tls().requestedServerName()).isEmpty();
  }

  @Test
  void aClientCertificateIsSeenByTheServer() {
    IssuedCertificate alice = Certs.CA.issue("alice");
    Peer server = new Peer();
    Peer client = new Peer();
    pair(
            Certs.server().requireClientCertificate(java.util.List.of(Certs.CA.certificate())),
            server,
            Certs.client().withClientCertificate(alice.chain(), alice.privateKey()),
            client)
        .flush();
    assertThat(server.tls().peerCertificates()).containsExactly(alice.certificate());
  }

  @Test
  void aRequestedClientCertificateMayBeMissing() {
    Peer server = new Peer();
    Peer client = new Peer();
    pair(
            Certs.server().requestClientCertificate(java.util.List.of(Certs.CA.certificate())),
            server,
            Certs.client(),
            client)
        .flush();
    assertThat(server.isConnected()).isTrue();
    assertThat(server.tls().peerCertificates()).isEmpty();
  }

  @Test
  void writesOfConnectionMadeAreSentAfterTheHandshake() {
    Peer server = Peer.greeting("hello from the server\n", false);
    Peer client = new Peer();
    pair(Certs.server(), server, Certs.client(), client).flush();
    assertThat(client.text()).isEqualTo("hello from the server\n");
  }

  @Test
  void writeSequenceArrivesInOrder() {
    Peer server = new Peer();
    Peer client = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        pair(Certs.server(), server, Certs.client(), client);
    pair.flush();
    client
        .rawTransport()
        .writeSequence(java.util.List.of("one ".getBytes(UTF_8), "two".getBytes(UTF_8)));
    pair.flush();
    assertThat(server.text()).isEqualTo("one two");
  }
}
