package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.test.IssuedCertificate;
import dev.braid.test.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --tls-cert --tls-key} and {@code get tls:HOST:PORT}, each a process of its own: the
 * poem arrives byte for byte through a private CA; an untrusted certificate is one line on standard
 * error and exit status 1; half the TLS options is a usage error.
 */
@Tag("loopback")
class TlsProcessTest {
  static final byte[] POEM =
      "Whose woods these are I think I know.\nHis house is in the village, though;\n"
          .getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private final TestCa ca = TestCa.create();

  private Path poem() throws IOException {
    return Files.write(dir.resolve("poem.txt"), POEM);
  }

  @Test
  void aPoemOverTlsThroughAPrivateCaAndAnUntrustedOneFailsInOneLine() throws IOException {
    IssuedCertificate.PemFiles pem = ca.issue("localhost", "127.0.0.1").writePem(dir);
    Path caFile = ca.writeCertificatePem(dir.resolve("ca.pem"));
    try (PoetryProcess serve =
        PoetryProcess.start(
            "serve",
            "--tls-cert",
            pem.certificate().toString(),
            "--tls-key",
            pem.privateKey().toString(),
            poem().toString())) {
      int port = serve.port();
      assertThat(serve.out()).containsPattern(":" + port + " with TLS \\(\\d+ reactors?\\)\\.$");

      try (Child get =
          Child.poetry("get", "--tls-ca", caFile.toString(), "tls:localhost:" + port)) {
        assertThat(get.waitFor()).as("stderr: %s", get.errText()).isZero();
        assertThat(get.outBytes()).isEqualTo(POEM);
        assertThat(get.errText()).isEmpty();
      }

      try (Child get = Child.poetry("get", "tls:localhost:" + port)) {
        assertThat(get.waitFor()).isEqualTo(1);
        assertThat(get.outBytes()).isEmpty();
        String err = get.errText();
        assertThat(err.lines()).hasSize(1);
        assertThat(err)
            .startsWith(
                "tls:localhost:"
                    + port
                    + ": TLS handshake with localhost (127.0.0.1:"
                    + port
                    + ") failed: the server's certificate is not trusted");
      }
      serve.awaitErr("the client rejected this end's certificate");

      // A client that speaks plain HTTP to the TLS port is logged, and the server goes on.
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        while (in.read() >= 0) {
          // the server sends an alert and closes
        }
      }
      serve.awaitErr("does not speak TLS: it sent a plaintext HTTP request");
      try (Child get =
          Child.poetry("get", "--tls-ca", caFile.toString(), "tls:127.0.0.1:" + port)) {
        assertThat(get.waitFor()).as("stderr: %s", get.errText()).isZero();
        assertThat(get.outBytes()).isEqualTo(POEM);
      }
    }
  }

  @Test
  void halfTheTlsOptionsIsAUsageError() {
    try (Child serve = Child.poetry("serve", "--tls-cert", "cert.pem", "poem.txt")) {
      assertThat(serve.waitFor()).isEqualTo(2);
      assertThat(serve.errText())
          .isEqualTo(
              "poetry serve: --tls-cert needs --tls-key, the certificate's private key (PEM)"
                  + " (see 'poetry serve --help')\n");
    }
  }

  @Test
  void aKeyThatIsNotACertificatesIsOneLineAndExitStatusOne() throws IOException {
    IssuedCertificate.PemFiles pem = ca.issue("localhost").writePem(dir);
    try (Child serve =
        Child.poetry(
            "serve",
            "--tls-cert",
            pem.certificate().toString(),
            "--tls-key",
            pem.certificate().toString(),
            poem().toString())) {
      assertThat(serve.waitFor()).isEqualTo(1);
      assertThat(serve.errText())
          .isEqualTo(
              "poetry serve: cannot start: "
                  + pem.certificate()
                  + ": no PRIVATE KEY block (found [CERTIFICATE])\n");
    }
  }
}
