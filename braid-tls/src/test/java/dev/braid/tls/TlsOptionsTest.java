package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.VirtualClock;
import dev.braid.test.ConnectedPair;
import dev.braid.test.IssuedCertificate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options from what users have: PEM, PKCS#12, key stores, an SSLContext. */
class TlsOptionsTest {
  @TempDir Path dir;
  private final VirtualClock clock = VirtualClock.create();

  private void handshakes(TlsServerOptions serverOptions, TlsClientOptions clientOptions) {
    Peer server = new Peer();
    Peer client = Peer.greeting("hi", false);
    ConnectedPair.builder()
        .clock(clock)
        .connect(Tls.server(clock, serverOptions, server), Tls.client(clock, clientOptions, client))
        .flush();
    assertThat(server.text()).isEqualTo("hi");
  }

  @Test
  void serverOptionsFromPemFiles() {
    IssuedCertificate.PemFiles files = Certs.LOCALHOST.writePem(dir);
    Path ca = Certs.CA.writeCertificatePem(dir.resolve("ca.pem"));
    handshakes(
        TlsServerOptions.fromPem(files.certificate(), files.privateKey()),
        TlsClientOptions.forHost("localhost").trustingPem(ca));
  }

  @Test
  void serverOptionsFromPkcs12() {
    char[] password = "changeit".toCharArray();
    Path p12 = Certs.LOCALHOST.writePkcs12(dir.resolve("server.p12"), password);
    handshakes(TlsServerOptions.fromPkcs12(p12, password), Certs.client());
    assertThatThrownBy(() -> TlsServerOptions.fromPkcs12(p12, "wrong".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(p12 + ": wrong password");
  }

  @Test
  void serverOptionsFromAKeyStore() {
    char[] password = "pw".toCharArray();
    handshakes(
        TlsServerOptions.fromKeyStore(Certs.LOCALHOST.keyStore("k", password), password),
        Certs.client());
  }

  @Test
  void optionsFromSslContexts() {
    SSLContext serverContext = Certs.server().sslContext();
    SSLContext clientContext = Certs.client().sslContext();
    handshakes(
        TlsServerOptions.fromSslContext(serverContext),
        TlsClientOptions.fromSslContext(clientContext).withHost("localhost"));
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedNamingTheFiles() {
    IssuedCertificate other = Certs.CA.issue("other");
    Path cert = Certs.LOCALHOST.writePem(dir).certificate();
    Path key = other.writePem(dir.resolve("o.pem"), dir.resolve("other-key.pem")).privateKey();
    assertThatThrownBy(() -> TlsServerOptions.fromPem(cert, key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            cert
                + " and "
                + key
                + ": the private key does not belong to the certificate CN=localhost");
  }

  @Test
  void anRsaCertificateWorksWithTls12AndTls13() {
    IssuedCertificate rsa = Certs.CA.certificate("localhost").rsa().issue();
    TlsServerOptions options = TlsServerOptions.of(rsa.chain(), rsa.privateKey());
    handshakes(options, Certs.client());
    handshakes(options, Certs.client().withProtocols("TLSv1.2"));
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> Certs.client().withProtocols("SSLv3"))
        .hasMessage("not a TLS version: 'SSLv3' (expected TLSv1.3 or TLSv1.2)");
    assertThatThrownBy(() -> Certs.client().withHandshakeTimeout(Duration.ZERO))
        .hasMessage("handshake timeout must be positive: PT0S");
    assertThatThrownBy(() -> Certs.client().withApplicationProtocols(""))
        .hasMessage("an application protocol name has 1 to 255 bytes: ''");
    assertThatThrownBy(() -> TlsClientOptions.forHost("x").trusting(List.of()))
        .hasMessage("at least one trusted certificate is needed");
  }

  @Test
  void defaultsAreTls13And12WithATenSecondDeadline() {
    TlsClientOptions client = TlsClientOptions.forHost("example.org");
    assertThat(client.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(client.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(client.applicationProtocols()).isEmpty();
    assertThat(client.host()).isEqualTo("example.org");
    assertThat(TlsClientOptions.defaults().host()).isNull();
    assertThat(client.withHost("other.org").sslContext()).isSameAs(client.sslContext());
  }
}
