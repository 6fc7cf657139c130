/**
 * Braid's TLS: a protocol wrapper on the JDK's {@code SSLEngine} that runs over any transport,
 * options from PEM, PKCS#12 or an {@code SSLContext}, and {@code ssl:}/{@code tls:} endpoints.
 */
module dev.braid.tls {
  requires transitive dev.braid.net;
  // TlsEndpoints' string forms only (Endpoints parses their TCP part); optional at run time.
  requires static dev.braid.reactor;
  requires org.slf4j;

  exports dev.braid.tls;
}
