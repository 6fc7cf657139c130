package dev.braid.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Socket addresses written as people write them, for messages and logs: {@code 127.0.0.1:10000},
 * {@code [::1]:10000}, {@code poetry.example:10000}. The one formatter that Braid's reactor,
 * protocols and command line use (ADR 0042).
 *
 * <p>Never touches DNS: an address is written with its IP when it has one, with its host name when
 * it is unresolved. An IPv6 host goes in brackets, so that the port stays readable (RFC 3986's
 * {@code host:port}, as in a URL). The JDK's {@link InetSocketAddress#toString()} differs on each
 * point: {@code localhost/127.0.0.1:10000}, {@code /0:0:0:0:0:0:0:1:10000}.
 *
 * <p>Threading: stateless, safe from any thread.
 */
public final class Addresses {
  private Addresses() {}

  /**
   * {@return {@code address} as {@code ip:port}, or {@code host:port} when unresolved, an IPv6 host
   * in brackets; {@code "?"} for null (a transport not connected yet)}
   *
   * @param address the address to write, or null
   */
  public static String describe(InetSocketAddress address) {
    if (address == null) {
      return "?";
    }
    InetAddress ip = address.getAddress();
    String host = ip == null ? address.getHostString() : ip.getHostAddress();
    return hostPort(host, address.getPort());
  }

  /**
   * {@return {@code host:port}, with {@code host} in brackets if it is an IPv6 address not already
   * in brackets: {@code ("::1", 80)} gives {@code [::1]:80}, {@code ("[::1]", 80)} too}
   *
   * @param host a host name or an address literal, as given
   * @param port the port
   */
  public static String hostPort(String host, int port) {
    boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
    return (ipv6 ? "[" + host + "]" : host) + ":" + port;
  }
}
