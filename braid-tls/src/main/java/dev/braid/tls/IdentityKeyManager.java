package dev.braid.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one of a fixed list of identities: for a server, the first whose certificate names the
 * host the client asked for through SNI (a DNS name, or a {@code *.} wildcard one label deep), else
 * the first whose key suits the handshake; for a client, the first whose key suits.
 *
 * <p>Why not the JDK's PKIX key manager, which also looks at SNI: it ranks an EC certificate
 * without the {@code keyAgreement} key usage below a perfect match, and Let's Encrypt's EC
 * certificates have no such bit, so with two of them it ignores SNI and presents the first.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
  private final List<Identity> identities;

  IdentityKeyManager(List<Identity> identities) {
    this.identities = List.copyOf(identities);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    List<Integer> suitable = new ArrayList<>();
    for (int i = 0; i < identities.size(); i++) {
      if (suits(identities.get(i).key(), keyType)) {
        suitable.add(i);
      }
    }
    if (suitable.isEmpty()) {
      return null;
    }
    String requested = requestedHost(engine);
    if (requested != null) {
      for (int i : suitable) {
        if (names(identities.get(i).chain().get(0), requested)) {
          return alias(i);
        }
      }
    }
    return alias(suitable.get(0));
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    for (int i = 0; i < identities.size(); i++) {
      for (String keyType : keyTypes) {
        if (suits(identities.get(i).key(), keyType)) {
          return alias(i);
        }
      }
    }
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Identity identity = identity(alias);
    return identity == null ? null : identity.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Identity identity = identity(alias);
    return identity == null ? null : identity.key();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return aliases(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliases(keyType);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return chooseEngineClientAlias(keyTypes, issuers, null);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return chooseEngineServerAlias(keyType, issuers, null);
  }

  private String[] aliases(String keyType) {
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < identities.size(); i++) {
      if (suits(identities.get(i).key(), keyType)) {
        aliases.add(alias(i));
      }
    }
    return aliases.isEmpty() ? null : aliases.toArray(String[]::new);
  }

  private static String alias(int i) {
    return "identity-" + i;
  }

  private Identity identity(String alias) {
    if (alias == null || !alias.startsWith("identity-")) {
      return null;
    }
    try {
      int i = Integer.parseInt(alias.substring("identity-".length()));
      return i >= 0 && i < identities.size() ? identities.get(i) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether a key can sign for {@code keyType}, as the JDK names key types ("EC", "RSA"...). */
  private static boolean suits(PrivateKey key, String keyType) {
    String algorithm = key.getAlgorithm();
    if (keyType == null || keyType.equals(algorithm)) {
      return true;
    }
    return switch (keyType) {
      case "EdDSA" -> algorithm.equals("Ed25519") || algorithm.equals("Ed448");
      case "Ed25519", "Ed448" -> algorithm.equals("EdDSA");
      default -> false;
    };
  }

  private static String requestedHost(SSLEngine engine) {
    if (engine == null) {
      return null;
    }
    SSLSession session = engine.getHandshakeSession();
    if (!(session instanceof ExtendedSSLSession extended)) {
      return null;
    }
    for (SNIServerName name : extended.getRequestedServerNames()) {
      if (name instanceof SNIHostName host) {
        return host.getAsciiName().toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Whether the certificate's DNS names cover {@code host} (exactly, or by a wildcard). */
  private static boolean names(X509Certificate certificate, String host) {
    Collection<List<?>> altNames;
    try {
      altNames = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return false;
    }
    if (altNames == null) {
      return false;
    }
    for (List<?> altName : altNames) {
      if (!Integer.valueOf(2).equals(altName.get(0))) {
        continue;
      }
      String name = String.valueOf(altName.get(1)).toLowerCase(Locale.ROOT);
      if (name.equals(host)) {
        return true;
      }
      if (name.startsWith("*.")) {
        int dot = host.indexOf('.');
        if (dot > 0 && host.substring(dot + 1).equals(name.substring(2))) {
          return true;
        }
      }
    }
    return false;
  }
}
