package dev.braid.reactor;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * Writes and reads Linux's {@code struct sockaddr_in} and {@code sockaddr_in6}: the family in the
 * machine's byte order, the port and address in network order. An IPv4 address given to an IPv6
 * socket is written as {@code ::ffff:a.b.c.d}, and such an address read back is an {@link
 * Inet4Address}, as the JDK reports it.
 */
final class SockAddr {
  /** {@code sizeof(struct sockaddr_storage)}: room for any address. */
  static final int STORAGE = 128;

  private static final int IN_LENGTH = 16;
  private static final int IN6_LENGTH = 28;
  private static final java.lang.foreign.ValueLayout.OfShort PORT =
      JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

  private SockAddr() {}

  /** {@return the address family a socket for {@code address} needs} */
  static int family(InetAddress address) {
    return address instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
  }

  /**
   * Writes {@code address} for a socket of {@code family} into {@code into}.
   *
   * @return the length written
   * @throws UnresolvedAddressException if {@code address} is unresolved
   * @throws UnsupportedAddressTypeException for an IPv6 address and an IPv4 socket
   */
  static int encode(InetSocketAddress address, int family, MemorySegment into) {
    if (address.isUnresolved()) {
      throw new UnresolvedAddressException(); // as the JDK's channels
    }
    InetAddress ip = address.getAddress();
    byte[] raw = ip.getAddress();
    into.asSlice(0, IN6_LENGTH).fill((byte) 0);
    into.set(JAVA_SHORT, 0, (short) family);
    into.set(PORT, 2, (short) address.getPort());
    if (family == Libc.AF_INET) {
      if (raw.length != 4) {
        throw new UnsupportedAddressTypeException(); // an IPv6 address for an IPv4 socket
      }
      MemorySegment.copy(raw, 0, into, JAVA_BYTE, 4, 4);
      return IN_LENGTH;
    }
    if (raw.length == 4) {
      into.set(JAVA_BYTE, 18, (byte) 0xff);
      into.set(JAVA_BYTE, 19, (byte) 0xff);
      MemorySegment.copy(raw, 0, into, JAVA_BYTE, 20, 4);
    } else {
      MemorySegment.copy(raw, 0, into, JAVA_BYTE, 8, 16);
      if (ip instanceof Inet6Address v6) {
        into.set(JAVA_INT, 24, v6.getScopeId());
      }
    }
    return IN6_LENGTH;
  }

  /**
   * Reads the address a system call wrote into {@code from}.
   *
   * @throws IllegalArgumentException if it is of a family other than IPv4 and IPv6
   */
  static InetSocketAddress decode(MemorySegment from) {
    int family = from.get(JAVA_SHORT, 0);
    int port = Short.toUnsignedInt(from.get(PORT, 2));
    try {
      if (family == Libc.AF_INET) {
        byte[] raw = new byte[4];
        MemorySegment.copy(from, JAVA_BYTE, 4, raw, 0, 4);
        return new InetSocketAddress(InetAddress.getByAddress(raw), port);
      }
      if (family == Libc.AF_INET6) {
        byte[] raw = new byte[16];
        MemorySegment.copy(from, JAVA_BYTE, 8, raw, 0, 16);
        int scope = from.get(JAVA_INT, 24);
        InetAddress ip =
            scope == 0 || isMapped(raw)
                ? InetAddress.getByAddress(raw)
                : Inet6Address.getByAddress(null, raw, scope);
        return new InetSocketAddress(ip, port);
      }
    } catch (UnknownHostException impossible) {
      throw new IllegalArgumentException("a malformed address", impossible);
    }
    throw new IllegalArgumentException("an address of family " + family);
  }

  private static boolean isMapped(byte[] raw) {
    for (int i = 0; i < 10; i++) {
      if (raw[i] != 0) {
        return false;
      }
    }
    return raw[10] == (byte) 0xff && raw[11] == (byte) 0xff;
  }
}
