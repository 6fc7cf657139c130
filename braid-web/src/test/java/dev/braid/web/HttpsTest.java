package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.test.IssuedCertificate;
import dev.braid.test.RunningReactor;
import dev.braid.test.TestCa;
import dev.braid.tls.Tls;
import dev.braid.tls.TlsClientOptions;
import dev.braid.tls.TlsServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HTTPS end to end against local TLS servers whose certificates a test CA issued: the JDK's HTTPS
 * server (with and without client certificates) and a Braid TLS server; per-client TLS settings
 * through {@link WebClient#withTls}.
 */
@Tag("loopback")
class HttpsTest {
  private final TestCa ca = TestCa.create();
  private final IssuedCertificate server = ca.issue("localhost", "127.0.0.1");
  private final IssuedCertificate alice = ca.issue("alice");
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private HttpsServer https;
  private RunningReactor r;

  private String startJdkServer(boolean needClientAuth) throws IOException {
    https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(
        new HttpsConfigurator(
            TlsServerOptions.of(server.chain(), server.privateKey())
                .requestClientCertificate(List.of(ca.certificate()))
                .sslContext()) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = getSSLContext().getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
    https.setExecutor(handlers);
    https.createContext(
        "/poem",
        exchange -> {
          try (exchange) {
            String who = "anonymous";
            try {
              X509Certificate peer =
                  (X509Certificate)
                      ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
              who = peer.getSubjectX500Principal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
              // no client certificate
            }
            byte[] body = ("a poem for " + who).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    https.start();
    return "https://localhost:" + https.getAddress().getPort() + "/poem";
  }

  @BeforeEach
  void start() {
    r = RunningReactor.start();
  }

  @AfterEach
  void stop() {
    r.close();
    if (https != null) {
      https.stop(0);
    }
    handlers.shutdownNow();
  }

  private WebClient trusting() {
    return r.call(
        () ->
            WebClient.forReactor(r.reactor())
                .withTls(TlsClientOptions.defaults().trusting(ca.certificate())));
  }

  @Test
  void aPageOverHttpsFromAServerAPrivateCaVouchesFor() throws IOException {
    String url = startJdkServer(false);
    WebClient client = trusting();
    byte[] page = r.await(() -> client.getPage(url));
    assertThat(new String(page, StandardCharsets.UTF_8)).isEqualTo("a poem for anonymous");
  }

  @Test
  void theDefaultClientDoesNotTrustThePrivateCa() throws IOException {
    String url = startJdkServer(false);
    Outcome<byte[]> outcome = r.outcomeOf(() -> WebClient.getPage(r.reactor(), url));
    Throwable error = ((Outcome.Failed<byte[]>) outcome).failure().value();
    assertThat(error).isInstanceOf(IOException.class).hasMessageContaining(url);
    assertThat(error).hasRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
    assertThat(error.getCause()).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aClientCertificateFromTheOptionsIsPresented() throws IOException {
    String url = startJdkServer(true);
    WebClient client =
        r.call(
            () ->
                WebClient.forReactor(r.reactor())
                    .withTls(
                        TlsClientOptions.defaults()
                            .trusting(ca.certificate())
                            .withClientCertificate(alice.chain(), alice.privateKey())));
    byte[] page = r.await(() -> client.getPage(url));
    assertThat(new String(page, StandardCharsets.UTF_8)).isEqualTo("a poem for CN=alice");

    WebClient withoutCertificate = trusting();
    Outcome<byte[]> without = r.outcomeOf(() -> withoutCertificate.getPage(url));
    assertThat(without).isInstanceOf(Outcome.Failed.class);
  }

  @Test
  void aBraidTlsServerSpeakingHttpServesTheJdksClient() {
    byte[] body = "served by Braid over TLS".getBytes(StandardCharsets.US_ASCII);
    int port =
        r.call(
            () ->
                r.reactor()
                    .listenTCP(
                        0,
                        Tls.serverFactory(
                            r.reactor(),
                            TlsServerOptions.of(server.chain(), server.privateKey()),
                            address -> new OneResponse(body)),
                        ReactorTcp.DEFAULT_BACKLOG,
                        "127.0.0.1")
                    .getHost()
                    .getPort());
    WebClient client = trusting();
    byte[] page = r.await(() -> client.getPage("https://127.0.0.1:" + port + "/"));
    assertThat(page).isEqualTo(body);
  }

  /** Answers the first request with {@code body} and closes: just enough HTTP/1.1. */
  private static final class OneResponse extends BaseProtocol {
    private final byte[] body;
    private final StringBuilder head = new StringBuilder();

    OneResponse(byte[] body) {
      this.body = body;
    }

    @Override
    public void dataReceived(byte[] data) {
      head.append(new String(data, StandardCharsets.ISO_8859_1));
      if (head.indexOf("\r\n\r\n") >= 0) {
        transport()
            .write(
                ("HTTP/1.1 200 OK\r\nContent-Length: "
                        + body.length
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        transport().write(body);
        transport().loseConnection();
      }
    }
  }
}
