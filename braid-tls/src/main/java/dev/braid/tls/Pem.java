package dev.braid.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Reads PEM files, the format {@code openssl} and Let's Encrypt write: certificate chains ({@code
 * fullchain.pem}) and private keys ({@code privkey.pem}), with the JDK's own {@link
 * CertificateFactory} and {@link KeyFactory} (the JDK 25 PEM API is a preview; no third-party
 * library is needed).
 *
 * <p>Private keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, RSASSA-PSS, EC, Ed25519,
 * Ed448), and the two older forms {@code openssl} still writes, PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}) and SEC1 ({@code BEGIN EC PRIVATE KEY}). An encrypted key is refused with a message that
 * says how to decrypt it. Text outside the {@code BEGIN}/{@code END} lines is ignored (some tools
 * write "Bag Attributes" there).
 *
 * <p>Errors: {@link IllegalArgumentException} with a message naming the source and what is wrong
 * ("cert.pem: no CERTIFICATE block"); {@link UncheckedIOException} if a file cannot be read.
 * Thread-safe: stateless.
 */
public final class Pem {
  private static final String RSA = "1.2.840.113549.1.1.1";
  private static final String RSASSA_PSS = "1.2.840.113549.1.1.10";
  private static final String EC = "1.2.840.10045.2.1";
  private static final Map<String, String> KEY_ALGORITHMS =
      Map.of(
          RSA,
          "RSA",
          RSASSA_PSS,
          "RSASSA-PSS",
          EC,
          "EC",
          "1.3.101.112",
          "Ed25519",
          "1.3.101.113",
          "Ed448");

  private Pem() {}

  /** One {@code BEGIN TYPE} ... {@code END TYPE} block, decoded. */
  record Block(String type, byte[] der, boolean hasHeaders) {}

  /**
   * Reads every certificate of a PEM file, in order (for a chain: the certificate first, then its
   * issuers).
   *
   * @param file the file
   * @return at least one certificate
   * @throws IllegalArgumentException if the file holds no certificate or a bad one
   * @throws UncheckedIOException if it cannot be read
   */
  public static List<X509Certificate> readCertificates(Path file) {
    return certificates(read(file), file.toString());
  }

  /**
   * Reads the certificates of PEM text.
   *
   * @param pem the text
   * @param source what to call it in messages, e.g. a file name
   * @return at least one certificate
   * @throws IllegalArgumentException if the text holds no certificate or a bad one
   */
  public static List<X509Certificate> certificates(String pem, String source) {
    List<X509Certificate> certificates = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (Block block : blocks(pem, source)) {
      if (!block.type().equals("CERTIFICATE") && !block.type().equals("TRUSTED CERTIFICATE")) {
        others.add(block.type());
        continue;
      }
      try {
        certificates.add(
            (X509Certificate)
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(block.der())));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(
            source + ": certificate " + (certificates.size() + 1) + " is not valid X.509: " + e, e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + ": no CERTIFICATE block"
              + (others.isEmpty() ? " (not a PEM file?)" : " (found " + others + ")"));
    }
    return List.copyOf(certificates);
  }

  /**
   * Reads the one private key of a PEM file.
   *
   * @param file the file
   * @return the key
   * @throws IllegalArgumentException if the file holds no key, several, an encrypted one, or a bad
   *     one
   * @throws UncheckedIOException if it cannot be read
   */
  public static PrivateKey readPrivateKey(Path file) {
    return privateKey(read(file), file.toString());
  }

  /**
   * Reads the one private key of PEM text.
   *
   * @param pem the text
   * @param source what to call it in messages, e.g. a file name
   * @return the key
   * @throws IllegalArgumentException if the text holds no key, several, an encrypted one, or a bad
   *     one
   */
  public static PrivateKey privateKey(String pem, String source) {
    List<Block> keys = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (Block block : blocks(pem, source)) {
      if (block.type().endsWith("PRIVATE KEY")) {
        keys.add(block);
      } else {
        others.add(block.type());
      }
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + ": no PRIVATE KEY block"
              + (others.isEmpty() ? " (not a PEM file?)" : " (found " + others + ")"));
    }
    if (keys.size() > 1) {
      throw new IllegalArgumentException(
          source + ": " + keys.size() + " private keys; expected one");
    }
    Block key = keys.get(0);
    if (key.type().equals("ENCRYPTED PRIVATE KEY") || key.hasHeaders()) {
      throw new IllegalArgumentException(
          source
              + ": the private key is encrypted; write a decrypted copy with "
              + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.plain' and keep it private");
    }
    byte[] pkcs8 =
        switch (key.type()) {
          case "PRIVATE KEY" -> key.der();
          case "RSA PRIVATE KEY" -> pkcs8(Der.sequence(Der.oid(RSA), Der.nul()), key.der());
          case "EC PRIVATE KEY" ->
              pkcs8(Der.sequence(Der.oid(EC), sec1Curve(key.der(), source)), key.der());
          default ->
              throw new IllegalArgumentException(
                  source + ": unsupported key type '" + key.type() + "' (expected PRIVATE KEY)");
        };
    String oid;
    try {
      oid = pkcs8AlgorithmOid(pkcs8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": the private key is not valid PKCS#8: " + e.getMessage(), e);
    }
    String algorithm = KEY_ALGORITHMS.get(oid);
    if (algorithm == null) {
      throw new IllegalArgumentException(source + ": unsupported key algorithm " + oid);
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          source + ": the " + algorithm + " private key is not valid: " + e.getMessage(), e);
    }
  }

  /** Every block of the text, in order. */
  static List<Block> blocks(String pem, String source) {
    List<Block> blocks = new ArrayList<>();
    String type = null;
    boolean headers = false;
    StringBuilder base64 = new StringBuilder();
    int lineNumber = 0;
    for (String raw : pem.split("\r?\n|\r")) {
      lineNumber++;
      String line = raw.strip();
      if (type == null) {
        if (line.startsWith("-----BEGIN ") && line.endsWith("-----")) {
          type = line.substring(11, line.length() - 5);
          headers = false;
          base64.setLength(0);
        }
      } else if (line.equals("-----END " + type + "-----")) {
        byte[] der;
        try {
          der = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              source + ": bad base64 in the " + type + " block ending at line " + lineNumber, e);
        }
        blocks.add(new Block(type, der, headers));
        type = null;
      } else if (line.startsWith("-----")) {
        throw new IllegalArgumentException(
            source + ": line " + lineNumber + ": expected '-----END " + type + "-----'");
      } else if (line.contains(":")) {
        headers = true; // RFC 1421 headers: Proc-Type, DEK-Info (an encrypted legacy key)
      } else {
        base64.append(line);
      }
    }
    if (type != null) {
      throw new IllegalArgumentException(source + ": the " + type + " block has no END line");
    }
    return blocks;
  }

  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return Der.sequence(Der.integer(0), algorithm, Der.octetString(key));
  }

  /** The named curve of a SEC1 {@code ECPrivateKey}: its {@code [0]} parameters. */
  private static byte[] sec1Curve(byte[] der, String source) {
    try {
      Der.Reader key = Der.reader(der).sequence();
      key.integer();
      key.skip(); // privateKey OCTET STRING
      while (key.hasMore()) {
        if (key.peekTag() == 0xA0) {
          return key.constructed(0xA0).element();
        }
        key.skip();
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": the EC private key is not valid SEC1: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        source
            + ": the EC private key does not name its curve; convert it with "
            + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8'");
  }

  private static String pkcs8AlgorithmOid(byte[] der) {
    Der.Reader info = Der.reader(der).sequence();
    info.integer();
    return info.sequence().oid();
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(file + ": no such file", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
