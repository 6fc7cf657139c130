package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.test.IssuedCertificate;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM as openssl and Let's Encrypt write it, read with the JDK alone. */
class PemTest {
  @TempDir Path dir;

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private Path openssl(String output, String... args) throws Exception {
    Path out = dir.resolve(output);
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    command.addAll(List.of("-out", out.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(said).isZero();
    return out;
  }

  @Test
  void aFullChainReadsInOrder() {
    IssuedCertificate issued = Certs.CA.intermediate("Intermediate").issue("localhost");
    IssuedCertificate.PemFiles files = issued.writePem(dir);
    assertThat(Pem.readCertificates(files.certificate())).isEqualTo(issued.chain());
    assertThat(Pem.readPrivateKey(files.privateKey())).isEqualTo(issued.privateKey());
  }

  @Test
  void textAroundTheBlocksAndCrlfLineEndsAreFine() {
    IssuedCertificate issued = Certs.CA.issue("localhost");
    String messy =
        "Bag Attributes\r\n    friendlyName: server\r\n"
            + issued.chainPem().replace("\n", "\r\n")
            + "trailing words\r\n";
    assertThat(Pem.certificates(messy, "messy.pem")).isEqualTo(issued.chain());
  }

  @Test
  void pkcs1RsaAndSec1EcKeysFromOpensslAreRead() throws Exception {
    IssuedCertificate rsa = Certs.CA.certificate("localhost").rsa().issue();
    Path rsaPkcs8 = rsa.writePem(dir.resolve("rsa-cert.pem"), dir.resolve("rsa.pem")).privateKey();
    Path pkcs1 = openssl("rsa-traditional.pem", "pkey", "-in", rsaPkcs8.toString(), "-traditional");
    assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Pem.readPrivateKey(pkcs1)).isEqualTo(rsa.privateKey());

    Path ecPkcs8 = Certs.LOCALHOST.writePem(dir).privateKey();
    Path sec1 = openssl("ec-traditional.pem", "pkey", "-in", ecPkcs8.toString(), "-traditional");
    assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    PrivateKey read = Pem.readPrivateKey(sec1);
    assertThat(read.getAlgorithm()).isEqualTo("EC");
    // the same key: options built from it accept the certificate
    TlsServerOptions.of(Certs.LOCALHOST.chain(), read);
  }

  @Test
  void anEd25519KeyIsRead() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    PrivateKey read = Pem.privateKey(pem("PRIVATE KEY", keys.getPrivate().getEncoded()), "ed.pem");
    assertThat(read.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
  }

  @Test
  void anEncryptedKeyIsRefusedWithAWayOut() throws Exception {
    Path key = Certs.LOCALHOST.writePem(dir).privateKey();
    Path encrypted =
        openssl(
            "encrypted.pem",
            "pkcs8",
            "-topk8",
            "-in",
            key.toString(),
            "-passout",
            "pass:secret",
            "-v2",
            "aes256");
    assertThatThrownBy(() -> Pem.readPrivateKey(encrypted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(encrypted + ": the private key is encrypted")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void aCertificateFileGivenAsTheKeyIsNamed() {
    IssuedCertificate.PemFiles files = Certs.LOCALHOST.writePem(dir);
    assertThatThrownBy(() -> Pem.readPrivateKey(files.certificate()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(files.certificate() + ": no PRIVATE KEY block (found [CERTIFICATE])");
    assertThatThrownBy(() -> Pem.readCertificates(files.privateKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(files.privateKey() + ": no CERTIFICATE block (found [PRIVATE KEY])");
  }

  @Test
  void notPemAtAll() {
    assertThatThrownBy(() -> Pem.certificates("hello", "x.pem"))
        .hasMessage("x.pem: no CERTIFICATE block (not a PEM file?)");
    assertThatThrownBy(() -> Pem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n", "y.pem"))
        .hasMessage("y.pem: the CERTIFICATE block has no END line");
    assertThatThrownBy(
            () ->
                Pem.certificates(
                    "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----", "z"))
        .hasMessageStartingWith("z: bad base64");
    assertThatThrownBy(
            () ->
                Pem.certificates(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "w"))
        .hasMessageStartingWith("w: certificate 1 is not valid X.509");
    assertThatThrownBy(() -> Pem.privateKey(pem("PRIVATE KEY", new byte[] {0x30, 0x03, 2, 1}), "k"))
        .hasMessageStartingWith("k: the private key is not valid PKCS#8");
  }

  @Test
  void aMissingFileSaysSo() {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> Pem.readCertificates(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(missing + ": no such file");
  }
}
