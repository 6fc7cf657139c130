package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.braid.test.IssuedCertificate;
import dev.braid.test.TestCa;
import dev.braid.tls.TlsServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every server command listens with TLS only when given a certificate and key, and the clients
 * reach tls: servers through a private CA: serve, transform-server, proxy (with a TLS upstream) and
 * transform-proxy (with a TLS upstream), in-process on loopback.
 */
@Tag("loopback")
class TlsServerCommandsTest {
  @TempDir Path dir;

  private final TestCa ca = TestCa.create();

  static int port(TestEnv.Server server) {
    String banner = server.banner();
    var m = Pattern.compile(".* on 127\\.0\\.0\\.1:(\\d+) with TLS\\b.*").matcher(banner);
    assertThat(m.matches()).as("a TLS banner: %s", banner).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void getTrustsTheTlsCaForHttpsPagesToo() throws IOException {
    IssuedCertificate issued = ca.issue("localhost");
    String caFile = ca.writeCertificatePem(dir.resolve("ca.pem")).toString();
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(
        new HttpsConfigurator(
            TlsServerOptions.of(issued.chain(), issued.privateKey()).sslContext()));
    https.createContext(
        "/poem",
        exchange -> {
          try (exchange) {
            byte[] body = "Fire and Ice\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    https.start();
    try {
      String url = "https://localhost:" + https.getAddress().getPort() + "/poem";
      TestEnv trusting = TestEnv.redirected();
      assertThat(trusting.run("get", "--tls-ca", caFile, url))
          .as("stderr: %s", trusting.err.text())
          .isZero();
      assertThat(trusting.out.text()).isEqualTo("Fire and Ice\n");
      TestEnv notTrusting = TestEnv.redirected();
      assertThat(notTrusting.run("get", url)).isEqualTo(1);
      assertThat(notTrusting.err.text()).startsWith(url + ": ");
    } finally {
      https.stop(0);
    }
  }

  @Test
  void poemsAndTransformsGoThroughTlsServersAndProxies() throws IOException {
    IssuedCertificate.PemFiles pem = ca.issue("localhost", "127.0.0.1").writePem(dir);
    String caFile = ca.writeCertificatePem(dir.resolve("ca.pem")).toString();
    String cert = pem.certificate().toString();
    String key = pem.privateKey().toString();
    Path poem = Files.writeString(dir.resolve("poem.txt"), "Some Say The World Will End\n");

    // One environment per server: stopping a server stops the last reactor its environment made.
    TestEnv[] envs = {
      TestEnv.redirected(), TestEnv.redirected(), TestEnv.redirected(), TestEnv.redirected()
    };
    TestEnv.Server serve =
        envs[0].start("serve", "--tls-cert", cert, "--tls-key", key, poem.toString());
    int servePort = port(serve);
    TestEnv.Server proxy =
        envs[1].start(
            "proxy",
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--tls-ca",
            caFile,
            "tls:localhost:" + servePort);
    int proxyPort = port(proxy);
    TestEnv.Server xform = envs[2].start("transform-server", "--tls-cert", cert, "--tls-key", key);
    int xformPort = port(xform);
    TestEnv.Server xformProxy =
        envs[3].start(
            "transform-proxy",
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--tls-ca",
            caFile,
            "tls:127.0.0.1:" + xformPort);
    int xformProxyPort = port(xformProxy);

    TestEnv client = TestEnv.redirected();
    int status =
        client.run(
            "get",
            "--tls-ca",
            caFile,
            "--xform",
            "cummingsify",
            "--xform-server",
            "tls:localhost:" + xformProxyPort,
            "tls:localhost:" + servePort,
            "tls:127.0.0.1:" + proxyPort);
    assertThat(status).as("stderr: %s", client.err.text()).isZero();
    assertThat(client.out.text())
        .isEqualTo("some say the world will end\n\nsome say the world will end\n");

    for (TestEnv.Server s : new TestEnv.Server[] {xformProxy, xform, proxy, serve}) {
      assertThat(s.stop()).isZero();
    }
  }
}
