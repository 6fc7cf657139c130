package dev.braid.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;
import java.util.Objects;

/**
 * A certificate chain and its private key, checked to belong together: the key must make signatures
 * the certificate's public key verifies (a key from another certificate is the usual mistake with
 * PEM files, and the JDK would only notice in the first handshake).
 */
record Identity(List<X509Certificate> chain, PrivateKey key) {
  Identity {
    chain = List.copyOf(chain);
    Objects.requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the certificate chain is empty");
    }
  }

  /** Checks that the key belongs to the first certificate; {@code what} names them in errors. */
  static Identity checked(List<X509Certificate> chain, PrivateKey key, String what) {
    Identity identity = new Identity(chain, key);
    PublicKey publicKey = identity.chain().get(0).getPublicKey();
    if (!matches(publicKey, key)) {
      throw new IllegalArgumentException(
          what
              + ": the private key does not belong to the certificate "
              + identity.chain().get(0).getSubjectX500Principal().getName());
    }
    return identity;
  }

  private static boolean matches(PublicKey publicKey, PrivateKey key) {
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())
        && !(isEdDsa(publicKey.getAlgorithm()) && isEdDsa(key.getAlgorithm()))) {
      return false;
    }
    if (publicKey instanceof RSAKey rsaPublic && key instanceof RSAKey rsaPrivate) {
      return rsaPublic.getModulus().equals(rsaPrivate.getModulus());
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return true; // nothing to check it with; the handshake will tell
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isEdDsa(String algorithm) {
    return algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448");
  }
}
