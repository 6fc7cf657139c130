package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.ClientEndpoint;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.IssuedCertificate;
import dev.braid.test.MemoryReactor;
import dev.braid.test.RunningReactor;
import dev.braid.test.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssl: and tls: endpoint strings, parsed like tcp: ones, over real TCP. */
@Tag("loopback")
class TlsEndpointsTest {
  @TempDir Path dir;
  private final RunningReactor running = RunningReactor.start();
  private final SelectorReactor reactor = running.reactor();

  @AfterEach
  void stop() {
    running.close();
  }

  private int listen(String description, Protocol protocol) {
    ListeningPort port =
        running.await(
            () -> TlsEndpoints.serverFromString(reactor, description).listen(a -> protocol));
    return port.getHost().getPort();
  }

  private static Throwable failureOf(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<?>) outcome).failure().value();
  }

  private Outcome<Protocol> connect(String description, Protocol protocol) {
    return running.outcomeOf(
        () -> TlsEndpoints.clientFromString(reactor, description).connect(a -> protocol));
  }

  @Test
  void aPoemOverSslAndTlsEndpointStrings() throws Exception {
    IssuedCertificate.PemFiles files = Certs.LOCALHOST.writePem(dir);
    Path ca = Certs.CA.writeCertificatePem(dir.resolve("ca.pem"));
    int port =
        listen(
            "ssl:0:interface=127.0.0.1:privateKey="
                + files.privateKey()
                + ":certKey="
                + files.certificate(),
            Peer.greeting("a poem over TLS\n", true));
    Peer client = new Peer();
    Outcome<Protocol> connected = connect("tls:localhost:" + port + ":trustRoots=" + ca, client);
    assertThat(connected.get()).isSameAs(client);
    assertThat(running.call(() -> client.tls().protocolVersion())).contains("TLSv1.3");
    assertThat(running.await(() -> client.ended)).isInstanceOf(ConnectionDone.class);
    assertThat(client.text()).isEqualTo("a poem over TLS\n");
  }

  @Test
  void oneFileWithKeyAndChainIsEnoughAsInTwisted() throws Exception {
    Path both = dir.resolve("both.pem");
    Files.writeString(both, Certs.LOCALHOST.privateKeyPem() + Certs.LOCALHOST.chainPem());
    int port = listen("ssl:port=0:interface=127.0.0.1:privateKey=" + both, Peer.echo());
    Path roots = Files.createDirectory(dir.resolve("roots"));
    Certs.CA.writeCertificatePem(roots.resolve("ca.crt"));
    TestCa.create().writeCertificatePem(roots.resolve("other.pem"));
    Outcome<Protocol> connected =
        connect("tls:host=localhost:port=" + port + ":trustRoots=" + roots, new Peer());
    assertThat(connected.get()).isInstanceOf(Peer.class);
  }

  @Test
  void anUntrustedServerFailsTheConnectDeferredWithATlsConnectError() {
    IssuedCertificate.PemFiles files = Certs.LOCALHOST.writePem(dir);
    int port =
        listen(
            "ssl:0:interface=127.0.0.1:privateKey="
                + files.privateKey()
                + ":certKey="
                + files.certificate(),
            new Peer());
    Peer client = new Peer();
    Outcome<Protocol> failed = connect("tls:localhost:" + port, client);
    Throwable error = failureOf(failed);
    assertThat(error).isInstanceOf(TlsConnectError.class);
    assertThat(((TlsConnectError) error).kind()).isEqualTo(TlsException.Kind.UNTRUSTED_CERTIFICATE);
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void defaultsGiveTheTrustAStringLeavesOut() throws Exception {
    IssuedCertificate.PemFiles files = Certs.LOCALHOST.writePem(dir);
    int port =
        listen(
            "ssl:0:interface=127.0.0.1:privateKey="
                + files.privateKey()
                + ":certKey="
                + files.certificate(),
            new Peer());
    Peer client = new Peer();
    Outcome<Protocol> connected =
        running.outcomeOf(
            () ->
                TlsEndpoints.clientFromString(
                        reactor,
                        "tls:127.0.0.1:" + port,
                        TlsClientOptions.defaults().trusting(Certs.CA.certificate()))
                    .connect(a -> client));
    assertThat(connected.get()).isSameAs(client);
  }

  @Test
  void cancellingDuringTheHandshakeResetsTheConnection() {
    Peer silent = new Peer();
    int port =
        running.call(() -> reactor.listenTCP(0, a -> silent, -1, "127.0.0.1").getHost().getPort());
    Peer client = new Peer();
    List<Deferred<Protocol>> attempt = new ArrayList<>();
    running.run(
        () ->
            attempt.add(
                TlsEndpoints.clientFromString(
                        reactor, "tls:localhost:" + port, TlsClientOptions.defaults())
                    .connect(a -> client)));
    running.await(() -> silent.made);
    Outcome<Protocol> cancelled =
        running.outcomeOf(
            () -> {
              attempt.get(0).cancel();
              return attempt.get(0);
            });
    assertThat(failureOf(cancelled)).isInstanceOf(CancelledException.class);
    assertThat(running.await(() -> silent.ended)).isInstanceOf(dev.braid.net.ConnectionLost.class);
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void tcpStringsGoToTheTcpParser() {
    MemoryReactor memory = MemoryReactor.create();
    assertThat(TlsEndpoints.serverFromString(memory, "tcp:10000").toString())
        .isEqualTo("tcp:10000");
    ClientEndpoint tcp = TlsEndpoints.clientFromString(memory, "tcp:example.org:10000");
    assertThat(tcp.toString()).isEqualTo("tcp:host=example.org:port=10000");
  }

  @Test
  void badStringsSayWhatIsWrongQuotingThemWhole() {
    MemoryReactor memory = MemoryReactor.create();
    assertThatThrownBy(() -> TlsEndpoints.serverFromString(memory, "ssl:10000"))
        .hasMessage(
            "bad endpoint 'ssl:10000': an ssl server endpoint needs privateKey=FILE (and"
                + " certKey=FILE if apart)");
    assertThatThrownBy(() -> TlsEndpoints.serverFromString(memory, "ssl:x:privateKey=k.pem"))
        .hasMessage("bad endpoint 'ssl:x:privateKey=k.pem': port is not a number: 'x'");
    assertThatThrownBy(() -> TlsEndpoints.serverFromString(memory, "ssl:1:privateKey=k:colour=red"))
        .hasMessageStartingWith(
            "bad endpoint 'ssl:1:privateKey=k:colour=red': unknown parameter 'colour' for an ssl"
                + " server (known: [");
    assertThatThrownBy(() -> TlsEndpoints.clientFromString(memory, "tls:example.org"))
        .hasMessageContaining("needs a port");
    assertThatThrownBy(
            () -> TlsEndpoints.clientFromString(memory, "tls:example.org:443:certificate=c.pem"))
        .hasMessage(
            "bad endpoint 'tls:example.org:443:certificate=c.pem': a client certificate needs both"
                + " certificate=FILE and privateKey=FILE");
    assertThatThrownBy(
            () ->
                TlsEndpoints.serverFromString(
                    memory, "ssl:1:privateKey=" + dir.resolve("missing.pem")))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessage(dir.resolve("missing.pem") + ": no such file");
    assertThatThrownBy(() -> dev.braid.reactor.Endpoints.serverFromString(memory, "ssl:1"))
        .hasMessageContaining("ssl: and tls: endpoints are parsed by TlsEndpoints, in braid-tls");
  }
}
