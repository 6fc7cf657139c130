package dev.braid.test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate issued by a {@link TestCa}, with its chain and its private key, in the forms a TLS
 * server or client is configured with: objects, PEM (what {@code openssl} and Let's Encrypt write)
 * and PKCS#12.
 *
 * @param chain the certificate first, then the intermediates up to (not including) the root
 * @param privateKey the certificate's private key
 */
public record IssuedCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
  /**
   * Checks and copies the chain.
   *
   * @param chain the certificate first, then the intermediates
   * @param privateKey the certificate's private key
   */
  public IssuedCertificate {
    chain = List.copyOf(chain);
    Objects.requireNonNull(privateKey, "privateKey");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a chain holds at least the certificate itself");
    }
  }

  /**
   * Returns the certificate itself, the first of the chain.
   *
   * @return the leaf certificate
   */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /**
   * Returns the chain in PEM, the certificate first (Let's Encrypt's {@code fullchain.pem}).
   *
   * @return one {@code CERTIFICATE} block per certificate
   */
  public String chainPem() {
    StringBuilder pem = new StringBuilder();
    for (X509Certificate c : chain) {
      pem.append(TestCa.pem("CERTIFICATE", TestCa.encoded(c)));
    }
    return pem.toString();
  }

  /**
   * Returns the private key in unencrypted PKCS#8 PEM (Let's Encrypt's {@code privkey.pem}).
   *
   * @return one {@code PRIVATE KEY} block
   */
  public String privateKeyPem() {
    return TestCa.pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /**
   * The two files {@link #writePem} wrote.
   *
   * @param certificate the chain's PEM file
   * @param privateKey the private key's PEM file
   */
  public record PemFiles(Path certificate, Path privateKey) {}

  /**
   * Writes {@code cert.pem} (the chain) and {@code key.pem} (the key) into {@code directory}.
   *
   * @param directory an existing directory, e.g. JUnit's {@code @TempDir}
   * @return the two paths
   * @throws UncheckedIOException if they cannot be written
   */
  public PemFiles writePem(Path directory) {
    return writePem(directory.resolve("cert.pem"), directory.resolve("key.pem"));
  }

  /**
   * Writes the chain and the key to the files named.
   *
   * @param certificateFile where the chain goes
   * @param keyFile where the key goes
   * @return the two paths
   * @throws UncheckedIOException if they cannot be written
   */
  public PemFiles writePem(Path certificateFile, Path keyFile) {
    TestCa.write(certificateFile, chainPem());
    TestCa.write(keyFile, privateKeyPem());
    return new PemFiles(certificateFile, keyFile);
  }

  /**
   * Returns an in-memory PKCS#12 key store holding the key and its chain.
   *
   * @param alias the entry's alias
   * @param password the key's and the store's password
   * @return the key store
   */
  public KeyStore keyStore(String alias, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(alias, privateKey, password, chain.toArray(Certificate[]::new));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a key store: " + e, e);
    }
  }

  /**
   * Writes {@link #keyStore} to a PKCS#12 file ({@code openssl pkcs12 -export}'s output).
   *
   * @param file where to write; replaced if it exists
   * @param password the key's and the file's password
   * @return {@code file}
   * @throws UncheckedIOException if it cannot be written
   */
  public Path writePkcs12(Path file, char[] password) {
    KeyStore store = keyStore("key", password);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot write a key store: " + e, e);
    }
    return file;
  }
}
