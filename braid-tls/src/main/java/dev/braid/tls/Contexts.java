package dev.braid.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds JDK {@link SSLContext}s from identities and trusted certificates. */
final class Contexts {
  private Contexts() {}

  /**
   * A context that presents {@code identities} ({@link IdentityKeyManager} picks the one whose
   * names match the client's SNI) and trusts {@code trusted}, or the JDK's default roots if null.
   */
  static SSLContext create(List<Identity> identities, List<X509Certificate> trusted) {
    try {
      KeyManager[] keyManagers =
          identities.isEmpty() ? null : new KeyManager[] {new IdentityKeyManager(identities)};
      TrustManager[] trustManagers = null;
      if (trusted != null) {
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
          roots.setCertificateEntry("trusted-" + i, trusted.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(roots);
        trustManagers = tmf.getTrustManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /** Every key entry of {@code store} as an identity. */
  static List<Identity> identities(KeyStore store, char[] password, String source) {
    try {
      ArrayList<Identity> identities = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (!store.isKeyEntry(alias)) {
          continue;
        }
        Key key = store.getKey(alias, password);
        Certificate[] chain = store.getCertificateChain(alias);
        if (!(key instanceof PrivateKey privateKey) || chain == null) {
          continue;
        }
        List<X509Certificate> x509 = new ArrayList<>();
        for (Certificate c : chain) {
          x509.add((X509Certificate) c);
        }
        identities.add(Identity.checked(x509, privateKey, source + " (" + alias + ")"));
      }
      if (identities.isEmpty()) {
        throw new IllegalArgumentException(source + ": no private key with a certificate chain");
      }
      return List.copyOf(identities);
    } catch (UnrecoverableKeyException e) {
      throw new IllegalArgumentException(source + ": wrong password for the private key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          source + ": cannot read the key store: " + e.getMessage(), e);
    }
  }
}
