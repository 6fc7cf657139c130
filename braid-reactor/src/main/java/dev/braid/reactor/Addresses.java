package dev.braid.reactor;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Formatting and parsing of socket addresses, without ever touching DNS. */
final class Addresses {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.\\-]+)?");

  private Addresses() {}

  /** "host:port", with an IPv6 host in brackets: "127.0.0.1:10000", "[::1]:80". */
  static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The address as "ip:port" (or "host:port" when unresolved); "?" for null. */
  static String describe(InetSocketAddress address) {
    if (address == null) {
      return "?";
    }
    InetAddress ip = address.getAddress();
    String host = ip == null ? address.getHostString() : ip.getHostAddress();
    return hostPort(host, address.getPort());
  }

  /**
   * Parses an IPv4 or IPv6 address literal (IPv6 optionally in brackets) without any lookup.
   *
   * @return the address, or null if {@code host} is not a literal (a host name)
   */
  static InetAddress literal(String host) {
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    boolean v4 = IPV4.matcher(h).matches();
    boolean v6 = !v4 && h.indexOf(':') >= 0 && IPV6.matcher(h).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(h); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
