package dev.braid.protocols;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;

/** Byte helpers for tests: one char per byte (ISO-8859-1), so "\u0010" is the byte 0x10. */
final class Bytes {
  private Bytes() {}

  static byte[] b(String s) {
    return s.getBytes(ISO_8859_1);
  }

  static String s(byte[] b) {
    return new String(b, ISO_8859_1);
  }

  static String repeat(String s, int times) {
    return s.repeat(times);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A big-endian length prefix of {@code size} bytes. */
  static String prefix(int size, long length) {
    StringBuilder out = new StringBuilder();
    for (int i = size - 1; i >= 0; i--) {
      out.append((char) ((length >>> (8 * i)) & 0xff));
    }
    return out.toString();
  }
}
