package dev.braid.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A throwaway certificate authority for tests: it makes its key pair when created, issues
 * certificates for host names and addresses on demand, and is forgotten with the test, so no
 * private key is ever committed (Python's {@code trustme}, Twisted's test certificates made at run
 * time).
 *
 * <pre>{@code
 * TestCa ca = TestCa.create();
 * IssuedCertificate server = ca.issue("localhost", "127.0.0.1");
 * // server.chain() and server.privateKey() for the server, ca.certificate() for the client's trust;
 * // or as files: server.writePem(dir) and ca.writeCertificatePem(dir.resolve("ca.pem"))
 * }</pre>
 *
 * <p>Keys are EC P-256 by default ({@link Issuance#rsa()} for RSA 2048), signed with SHA-256. Every
 * certificate carries what strict verifiers (OpenSSL 3's {@code X509_STRICT}, the JDK's PKIX)
 * expect: basic constraints, key usage, extended key usage (server and client authentication),
 * subject and authority key identifiers, and the names as subject alternative names (a DNS name, or
 * an IP address for a literal such as {@code 127.0.0.1} or {@code ::1}). Certificates are valid
 * from a day ago (clock skew) for a year unless {@link Issuance#validity} says otherwise.
 *
 * <p>How: the JDK has no public API that builds an X.509 certificate, so this class encodes the
 * certificate's DER itself and signs it with {@link Signature} (docs/adr/0016).
 *
 * <p>Threading: immutable once created; safe to share. Errors: none expected; a failure of the
 * JDK's cryptography is an {@link IllegalStateException}.
 */
public final class TestCa {
  private static final String SHA256_WITH_ECDSA = "1.2.840.10045.4.3.2";
  private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String SUBJECT_KEY_ID = "2.5.29.14";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String AUTHORITY_KEY_ID = "2.5.29.35";
  private static final String EXT_KEY_USAGE = "2.5.29.37";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_ENCIPHERMENT = 2;
  private static final int KEY_CERT_SIGN = 5;
  private static final int CRL_SIGN = 6;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  /**
   * What a certificate issued here sends after itself: this CA's certificate and those above it, up
   * to (not including) the root; empty for a root.
   */
  private final List<X509Certificate> chainToSend;

  private TestCa(
      String name, KeyPair keys, X509Certificate certificate, List<X509Certificate> chainToSend) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
    this.chainToSend = List.copyOf(chainToSend);
  }

  /**
   * Creates a root CA with a unique name ("Braid Test CA" and a random suffix).
   *
   * @return a new CA with a new key pair
   */
  public static TestCa create() {
    return create("Braid Test CA " + HexFormat.of().formatHex(randomBytes(4)));
  }

  /**
   * Creates a root CA.
   *
   * @param name the CA's common name
   * @return a new CA with a new key pair
   */
  public static TestCa create(String name) {
    Objects.requireNonNull(name, "name");
    KeyPair keys = ecKeys();
    Instant now = Instant.now();
    byte[] der =
        certificateDer(
            name,
            keys.getPublic(),
            name,
            keys,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(3650)),
            List.of(),
            true,
            true,
            true);
    return new TestCa(name, keys, parse(der), List.of());
  }

  /**
   * Creates an intermediate CA signed by this one; what it issues carries the chain up to (not
   * including) the root, as a server sends it.
   *
   * @param intermediateName the intermediate CA's common name
   * @return the intermediate CA
   */
  public TestCa intermediate(String intermediateName) {
    Objects.requireNonNull(intermediateName, "intermediateName");
    KeyPair subKeys = ecKeys();
    Instant now = Instant.now();
    byte[] der =
        certificateDer(
            intermediateName,
            subKeys.getPublic(),
            name,
            keys,
            now.minus(Duration.ofDays(1)),
            now.plus(Duration.ofDays(3650)),
            List.of(),
            true,
            true,
            true);
    X509Certificate subCertificate = parse(der);
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(subCertificate);
    chain.addAll(chainToSend);
    return new TestCa(intermediateName, subKeys, subCertificate, chain);
  }

  /**
   * Returns this CA's certificate: for a root, what a client trusts to accept what it (and its
   * intermediates) issue.
   *
   * @return the CA certificate
   */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Returns this CA's certificate in PEM.
   *
   * @return one {@code CERTIFICATE} block
   */
  public String certificatePem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /**
   * Writes {@link #certificatePem()} to {@code file}.
   *
   * @param file where to write; replaced if it exists
   * @return {@code file}
   * @throws UncheckedIOException if it cannot be written
   */
  public Path writeCertificatePem(Path file) {
    write(file, certificatePem());
    return file;
  }

  /**
   * Returns an in-memory PKCS#12 key store holding this CA's certificate as a trusted entry, for
   * APIs that take a trust store.
   *
   * @return a key store with one trusted certificate, alias "ca"
   */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", certificate);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust store: " + e, e);
    }
  }

  /**
   * Issues a certificate with the defaults: an EC key, valid from a day ago for a year, for server
   * and client authentication.
   *
   * @param names host names and IP address literals, at least one; the first is also the subject's
   *     common name
   * @return the certificate, its chain and its private key
   */
  public IssuedCertificate issue(String... names) {
    return certificate(names).issue();
  }

  /**
   * Starts describing a certificate to issue, for the cases the defaults do not cover: expired or
   * not yet valid certificates, RSA keys.
   *
   * @param names host names and IP address literals, at least one
   * @return a description with the defaults, to change and {@link Issuance#issue() issue}
   */
  public Issuance certificate(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("a certificate needs at least one name");
    }
    return new Issuance(List.of(names));
  }

  @Override
  public String toString() {
    return "TestCa{" + name + "}";
  }

  /** A certificate to issue: names, validity and key type. Not thread-safe; use it and drop it. */
  public final class Issuance {
    private final List<String> names;
    private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(365));
    private boolean rsa;

    private Issuance(List<String> names) {
      this.names = names;
    }

    /**
     * Sets the validity period, e.g. one in the past for an expired certificate.
     *
     * @param from the first instant it is valid
     * @param until the last instant it is valid
     * @return this description
     */
    public Issuance validity(Instant from, Instant until) {
      if (until.isBefore(from)) {
        throw new IllegalArgumentException(
            "validity ends before it starts: " + from + ".." + until);
      }
      this.notBefore = from;
      this.notAfter = until;
      return this;
    }

    /**
     * Uses an RSA 2048 key instead of EC P-256 (slower to make: tens of milliseconds).
     *
     * @return this description
     */
    public Issuance rsa() {
      this.rsa = true;
      return this;
    }

    /**
     * Makes the key pair and signs the certificate with the CA's key.
     *
     * @return the certificate, its chain and its private key
     */
    public IssuedCertificate issue() {
      KeyPair leafKeys = rsa ? rsaKeys() : ecKeys();
      byte[] der =
          certificateDer(
              names.get(0),
              leafKeys.getPublic(),
              name,
              keys,
              notBefore,
              notAfter,
              names,
              false,
              true,
              true);
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(parse(der));
      chain.addAll(chainToSend);
      return new IssuedCertificate(chain, leafKeys.getPrivate());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  private static byte[] certificateDer(
      String subject,
      PublicKey subjectKey,
      String issuer,
      KeyPair issuerKeys,
      Instant notBefore,
      Instant notAfter,
      List<String> altNames,
      boolean ca,
      boolean serverAuth,
      boolean clientAuth) {
    boolean rsaIssuer = issuerKeys.getPrivate().getAlgorithm().equals("RSA");
    byte[] algorithm =
        rsaIssuer
            ? Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nul())
            : Der.sequence(Der.oid(SHA256_WITH_ECDSA));
    List<byte[]> extensions = new ArrayList<>();
    extensions.add(
        extension(BASIC_CONSTRAINTS, true, ca ? Der.sequence(Der.bool(true)) : Der.sequence()));
    int[] usage;
    if (ca) {
      usage = new int[] {DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN};
    } else if (subjectKey.getAlgorithm().equals("RSA")) {
      usage = new int[] {DIGITAL_SIGNATURE, KEY_ENCIPHERMENT};
    } else {
      usage = new int[] {DIGITAL_SIGNATURE};
    }
    extensions.add(extension(KEY_USAGE, true, Der.namedBits(usage)));
    if (!ca) {
      List<byte[]> purposes = new ArrayList<>();
      if (serverAuth) {
        purposes.add(Der.oid(SERVER_AUTH));
      }
      if (clientAuth) {
        purposes.add(Der.oid(CLIENT_AUTH));
      }
      extensions.add(
          extension(EXT_KEY_USAGE, false, Der.sequence(purposes.toArray(byte[][]::new))));
      List<byte[]> generalNames = new ArrayList<>();
      for (String altName : altNames) {
        generalNames.add(generalName(altName));
      }
      extensions.add(
          extension(SUBJECT_ALT_NAME, false, Der.sequence(generalNames.toArray(byte[][]::new))));
    }
    extensions.add(extension(SUBJECT_KEY_ID, false, Der.octetString(keyId(subjectKey))));
    extensions.add(
        extension(
            AUTHORITY_KEY_ID, false, Der.sequence(Der.implicit(0, keyId(issuerKeys.getPublic())))));

    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.integer(2)),
            Der.integer(new BigInteger(1, randomBytes(16))),
            algorithm,
            distinguishedName(issuer),
            Der.sequence(Der.time(utc(notBefore)), Der.time(utc(notAfter))),
            distinguishedName(subject),
            subjectKey.getEncoded(),
            Der.explicit(3, Der.sequence(extensions.toArray(byte[][]::new))));
    byte[] signature;
    try {
      Signature signer = Signature.getInstance(rsaIssuer ? "SHA256withRSA" : "SHA256withECDSA");
      signer.initSign(issuerKeys.getPrivate());
      signer.update(tbs);
      signature = signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate: " + e, e);
    }
    return Der.sequence(tbs, algorithm, Der.bitString(signature));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static byte[] distinguishedName(String commonName) {
    return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
  }

  /** A dNSName [2], or an iPAddress [7] for an IPv4 or IPv6 literal. */
  private static byte[] generalName(String name) {
    if (isIpLiteral(name)) {
      try {
        return Der.implicit(7, InetAddress.ofLiteral(name).getAddress());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an IP address: " + name, e);
      }
    }
    return Der.implicit(2, name.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean isIpLiteral(String name) {
    return name.contains(":") || name.matches("[0-9.]+");
  }

  private static byte[] keyId(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ZonedDateTime utc(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK rejects a test certificate: " + e, e);
    }
  }

  private static KeyPair ecKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an EC key pair: " + e, e);
    }
  }

  private static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an RSA key pair: " + e, e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    bytes[0] &= 0x7F; // a positive serial number
    bytes[0] |= 0x01; // never zero, never a leading zero byte
    return bytes;
  }

  static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
