package dev.braid.test;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings an X.509 certificate needs (ITU-T X.690): each method returns one complete
 * TLV (tag, length, value). Enough for {@link TestCa}, nothing more.
 */
final class Der {
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

  private Der() {}

  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... elements) {
    return tlv(0x30, concat(elements));
  }

  static byte[] set(byte[]... elements) {
    return tlv(0x31, concat(elements));
  }

  static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  static byte[] integer(long value) {
    return integer(BigInteger.valueOf(value));
  }

  static byte[] bool(boolean value) {
    return tlv(0x01, new byte[] {(byte) (value ? 0xFF : 0x00)});
  }

  static byte[] nul() {
    return new byte[] {0x05, 0x00};
  }

  static byte[] octetString(byte[] value) {
    return tlv(0x04, value);
  }

  /** A BIT STRING of whole bytes (no unused bits): signatures, keys. */
  static byte[] bitString(byte[] value) {
    return tlv(0x03, concat(new byte[] {0}, value));
  }

  /**
   * A named-bit BIT STRING (key usage): bit 0 is the most significant bit of the first byte;
   * trailing zero bits are dropped, as DER requires.
   */
  static byte[] namedBits(int... bits) {
    int highest = 0;
    for (int bit : bits) {
      highest = Math.max(highest, bit);
    }
    byte[] value = new byte[highest / 8 + 1];
    for (int bit : bits) {
      value[bit / 8] |= (byte) (0x80 >>> (bit % 8));
    }
    int unused = 7 - highest % 8;
    return tlv(0x03, concat(new byte[] {(byte) unused}, value));
  }

  static byte[] utf8String(String value) {
    return tlv(0x0C, value.getBytes(StandardCharsets.UTF_8));
  }

  /** UTCTime from 1950 to 2049, GeneralizedTime otherwise (RFC 5280, 4.1.2.5). */
  static byte[] time(ZonedDateTime time) {
    ZonedDateTime utc = time.withZoneSameInstant(ZoneOffset.UTC).withNano(0);
    int year = utc.getYear();
    if (year >= 1950 && year < 2050) {
      return tlv(0x17, UTC_TIME.format(utc).getBytes(StandardCharsets.US_ASCII));
    }
    return tlv(0x18, GENERALIZED_TIME.format(utc).getBytes(StandardCharsets.US_ASCII));
  }

  /** An explicitly tagged, constructed context-specific element: {@code [n] EXPLICIT}. */
  static byte[] explicit(int n, byte[] element) {
    return tlv(0xA0 | n, element);
  }

  /** An implicitly tagged primitive context-specific element: {@code [n] IMPLICIT}. */
  static byte[] implicit(int n, byte[] value) {
    return tlv(0x80 | n, value);
  }

  static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      long arc = Long.parseLong(parts[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        int b = (int) ((arc >>> (7 * g)) & 0x7F);
        out.write(g == 0 ? b : b | 0x80);
      }
    }
    return tlv(0x06, out.toByteArray());
  }
}
