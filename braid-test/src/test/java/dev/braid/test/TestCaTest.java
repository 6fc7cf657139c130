package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throwaway CA issues certificates that the JDK's PKIX and OpenSSL's strict mode accept. */
class TestCaTest {
  private static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(chain), params);
  }

  @Test
  void anIssuedCertificateValidatesAgainstTheCa() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate issued = ca.issue("localhost", "127.0.0.1", "::1");
    validate(issued.chain(), ca.certificate());
    X509Certificate leaf = issued.certificate();
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    List<String> names = new ArrayList<>();
    for (List<?> name : leaf.getSubjectAlternativeNames()) {
      names.add(name.get(0) + "=" + name.get(1));
    }
    assertThat(names).containsExactly("2=localhost", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1");
    assertThat(leaf.getExtendedKeyUsage())
        .containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
  }

  @Test
  void anotherCasCertificateDoesNotValidate() {
    IssuedCertificate issued = TestCa.create().issue("localhost");
    assertThatThrownBy(() -> validate(issued.chain(), TestCa.create().certificate()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void anIntermediateSendsItsCertificateInTheChain() throws Exception {
    TestCa root = TestCa.create();
    TestCa intermediate = root.intermediate("Braid Test Intermediate");
    IssuedCertificate issued = intermediate.issue("example.test");
    assertThat(issued.chain()).hasSize(2);
    assertThat(issued.chain().get(1)).isEqualTo(intermediate.certificate());
    validate(issued.chain(), root.certificate());
    IssuedCertificate deeper = intermediate.intermediate("Second").issue("deep.test");
    assertThat(deeper.chain()).hasSize(3);
    validate(deeper.chain(), root.certificate());
  }

  @Test
  void validityCanBeInThePast() {
    Instant now = Instant.now();
    IssuedCertificate expired =
        TestCa.create()
            .certificate("localhost")
            .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))
            .issue();
    assertThat(expired.certificate().getNotAfter().toInstant()).isBefore(now);
  }

  @Test
  void rsaKeysOnRequest() throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate issued = ca.certificate("localhost").rsa().issue();
    assertThat(issued.privateKey().getAlgorithm()).isEqualTo("RSA");
    validate(issued.chain(), ca.certificate());
  }

  @Test
  @SuppressWarnings("unchecked")
  void pemAndPkcs12RoundTripThroughTheJdk(@TempDir Path dir) throws Exception {
    TestCa ca = TestCa.create();
    IssuedCertificate issued = ca.issue("localhost");
    IssuedCertificate.PemFiles files = issued.writePem(dir);
    String chainPem = Files.readString(files.certificate());
    assertThat(chainPem).startsWith("-----BEGIN CERTIFICATE-----\n");
    Collection<java.security.cert.Certificate> read =
        (Collection<java.security.cert.Certificate>)
            CertificateFactory.getInstance("X.509")
                .generateCertificates(
                    new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)));
    assertThat(read).containsExactly(issued.certificate());
    assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");

    char[] password = "secret".toCharArray();
    Path p12 = issued.writePkcs12(dir.resolve("server.p12"), password);
    KeyStore store = KeyStore.getInstance(p12.toFile(), password);
    assertThat((PrivateKey) store.getKey("key", password)).isEqualTo(issued.privateKey());
    assertThat(ca.trustStore().getCertificate("ca")).isEqualTo(ca.certificate());
  }

  @Test
  void openSslAcceptsTheChainInStrictMode(@TempDir Path dir) throws Exception {
    TestCa ca = TestCa.create();
    Path caFile = ca.writeCertificatePem(dir.resolve("ca.pem"));
    IssuedCertificate issued = ca.intermediate("Intermediate").issue("localhost", "127.0.0.1");
    TestCa.write(
        dir.resolve("leaf.pem"), TestCa.pem("CERTIFICATE", issued.chain().get(0).getEncoded()));
    TestCa.write(
        dir.resolve("untrusted.pem"),
        TestCa.pem("CERTIFICATE", issued.chain().get(1).getEncoded()));
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "verify",
                "-x509_strict",
                "-purpose",
                "sslserver",
                "-CAfile",
                caFile.toString(),
                "-untrusted",
                dir.resolve("untrusted.pem").toString(),
                dir.resolve("leaf.pem").toString())
            .redirectErrorStream(true)
            .start();
    assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(output).contains(": OK");
    assertThat(openssl.exitValue()).as(output).isZero();
  }
}
