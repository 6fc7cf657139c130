package dev.braid.poetry;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Formats socket addresses as people write them: {@code 127.0.0.1:10000}, {@code [::1]:10000}. */
final class Addresses {
  private Addresses() {}

  static String describe(InetSocketAddress address) {
    if (address == null) {
      return "?";
    }
    InetAddress ip = address.getAddress();
    String host = ip != null ? ip.getHostAddress() : address.getHostString();
    return hostPort(host, address.getPort(), ip instanceof Inet6Address);
  }

  static String hostPort(String host, int port, boolean ipv6) {
    return (ipv6 || host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
