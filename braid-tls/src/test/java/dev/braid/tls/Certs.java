package dev.braid.tls;

import dev.braid.test.IssuedCertificate;
import dev.braid.test.TestCa;

/** Certificates for the tests, made once per JVM by a throwaway CA. */
final class Certs {
  static final TestCa CA = TestCa.create();
  static final IssuedCertificate LOCALHOST = CA.issue("localhost", "127.0.0.1", "::1");

  private Certs() {}

  static TlsServerOptions server() {
    return TlsServerOptions.of(LOCALHOST.chain(), LOCALHOST.privateKey());
  }

  static TlsClientOptions client() {
    return TlsClientOptions.forHost("localhost").trusting(CA.certificate());
  }
}
