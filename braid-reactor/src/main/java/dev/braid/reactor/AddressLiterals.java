package dev.braid.reactor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parsing of address literals, without ever touching DNS ({@link dev.braid.net.Addresses} writes
 * them).
 */
final class AddressLiterals {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[\\w.\\-]+)?");

  private AddressLiterals() {}

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
