package dev.braid.poetry.cli;

import dev.braid.net.Reactor;
import dev.braid.poetry.Dialer;
import dev.braid.tls.TlsClientOptions;
import java.util.Locale;

/**
 * A {@code [host:]port} address from the command line, or {@code tls:[host:]port} for a server that
 * speaks TLS. The host defaults to 127.0.0.1; an IPv6 host is written in brackets ({@code
 * [::1]:10000}).
 *
 * @param host the host name or address
 * @param port the port
 * @param tls whether the server speaks TLS
 */
record Address(String host, int port, boolean tls) {
  static final String DEFAULT_HOST = "127.0.0.1";
  static final String FORM = "[host:]port, e.g. 10000 or 127.0.0.1:10000";
  static final String TLS_PREFIX = "tls:";

  /** A plain TCP address. */
  Address(String host, int port) {
    this(host, port, false);
  }

  /**
   * Parses {@code text}.
   *
   * @param text what the user wrote
   * @param allowPortZero true for a port to listen on (0: any free port)
   * @return the address
   * @throws IllegalArgumentException with a one-line message saying what is wrong
   */
  static Address parse(String text, boolean allowPortZero) {
    String s = text.strip();
    boolean tls = s.regionMatches(true, 0, TLS_PREFIX, 0, TLS_PREFIX.length());
    if (tls) {
      s = s.substring(TLS_PREFIX.length());
    }
    String host = DEFAULT_HOST;
    String port = s;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw invalid(text, "expected [IPv6-address]:port");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon >= 0) {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
        if (host.indexOf(':') >= 0) {
          throw invalid(text, "write an IPv6 address in brackets, e.g. [::1]:10000");
        }
      }
    }
    if (host.isEmpty()) {
      throw invalid(text, "the host is empty; expected " + FORM);
    }
    if (host.chars().anyMatch(Character::isWhitespace)) {
      throw invalid(text, "the host contains a space");
    }
    return new Address(host, parsePort(text, port, allowPortZero), tls);
  }

  /**
   * How to connect to this server: over TLS trusting {@code trust}'s roots, or the JDK's if null
   * (the host name checked is this address's), or over plain TCP.
   */
  Dialer dialer(Reactor reactor, TlsClientOptions trust) {
    if (!tls) {
      return Dialer.tcp(reactor);
    }
    return Dialer.tls(reactor, trust == null ? TlsClientOptions.defaults() : trust);
  }

  static int parsePort(String text, String port, boolean allowPortZero) {
    if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5) {
      throw invalid(
          text, "the port must be a number from " + (allowPortZero ? 0 : 1) + " to 65535");
    }
    int p = Integer.parseInt(port);
    if (p > 65535 || (p == 0 && !allowPortZero)) {
      throw invalid(
          text, "the port must be a number from " + (allowPortZero ? 0 : 1) + " to 65535");
    }
    return p;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        String.format(Locale.ROOT, "invalid address '%s': %s", text, why));
  }

  @Override
  public String toString() {
    return (tls ? TLS_PREFIX : "")
        + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
        + ":"
        + port;
  }
}
