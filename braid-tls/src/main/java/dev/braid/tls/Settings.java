package dev.braid.tls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What server and client options have in common: versions, ALPN, handshake deadline. */
record Settings(List<String> protocols, List<String> applicationProtocols, Duration timeout) {
  static final Settings DEFAULT =
      new Settings(
          TlsOptions.DEFAULT_PROTOCOLS,
          List.of(),
          Duration.ofSeconds(TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS));

  Settings {
    protocols = List.copyOf(protocols);
    applicationProtocols = List.copyOf(applicationProtocols);
    Objects.requireNonNull(timeout, "timeout");
  }

  Settings withProtocols(String... versions) {
    if (versions.length == 0) {
      throw new IllegalArgumentException("at least one TLS version is needed");
    }
    for (String version : versions) {
      if (!version.startsWith("TLSv1")) {
        throw new IllegalArgumentException(
            "not a TLS version: '" + version + "' (expected TLSv1.3 or TLSv1.2)");
      }
    }
    return new Settings(List.of(versions), applicationProtocols, timeout);
  }

  Settings withApplicationProtocols(String... names) {
    for (String name : names) {
      if (name.isEmpty() || name.length() > 255) {
        throw new IllegalArgumentException(
            "an application protocol name has 1 to 255 bytes: '" + name + "'");
      }
    }
    return new Settings(protocols, List.of(names), timeout);
  }

  Settings withTimeout(Duration handshakeTimeout) {
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshake timeout must be positive: " + handshakeTimeout);
    }
    return new Settings(protocols, applicationProtocols, handshakeTimeout);
  }
}
