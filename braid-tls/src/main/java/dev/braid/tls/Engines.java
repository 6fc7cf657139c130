package dev.braid.tls;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Makes a configured {@link SSLEngine} for one connection from its options. */
final class Engines {
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  private Engines() {}

  /**
   * A client engine verifies the chain and the host name (endpoint identification "HTTPS") and
   * sends the host as SNI; a server engine asks for client certificates as configured. Both get the
   * versions and ALPN names of the options.
   *
   * @throws IllegalArgumentException if client options have no host
   */
  static SSLEngine create(TlsOptions options, InetSocketAddress peer) {
    SSLEngine engine;
    SSLParameters parameters;
    switch (options) {
      case TlsClientOptions client -> {
        String host = client.host();
        if (host == null) {
          throw new IllegalArgumentException(
              "a TLS client needs the server's host name to check its certificate:"
                  + " use TlsClientOptions.forHost(host) or withHost(host)");
        }
        engine = client.sslContext().createSSLEngine(host, peer == null ? -1 : peer.getPort());
        engine.setUseClientMode(true);
        parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isIpLiteral(host)) {
          parameters.setServerNames(List.of(new SNIHostName(host)));
        }
      }
      case TlsServerOptions server -> {
        engine = server.sslContext().createSSLEngine();
        engine.setUseClientMode(false);
        parameters = engine.getSSLParameters();
        switch (server.clientAuth()) {
          case REQUIRED -> parameters.setNeedClientAuth(true);
          case REQUESTED -> parameters.setWantClientAuth(true);
          case NONE -> {}
        }
      }
    }
    parameters.setProtocols(options.protocols().toArray(String[]::new));
    if (!options.applicationProtocols().isEmpty()) {
      parameters.setApplicationProtocols(options.applicationProtocols().toArray(String[]::new));
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }
}
