package dev.braid.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The little DER (ITU-T X.690) that reading PEM keys needs: a reader for PKCS#8 and SEC1
 * structures, and the encodings that wrap an older key into PKCS#8. Every read checks its bounds;
 * bad input is an {@link IllegalArgumentException}.
 */
final class Der {
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

  static byte[] sequence(byte[]... elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] e : elements) {
      out.writeBytes(e);
    }
    return tlv(0x30, out.toByteArray());
  }

  static byte[] integer(long value) {
    return tlv(0x02, BigInteger.valueOf(value).toByteArray());
  }

  static byte[] nul() {
    return new byte[] {0x05, 0x00};
  }

  static byte[] octetString(byte[] value) {
    return tlv(0x04, value);
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

  static Reader reader(byte[] der) {
    return new Reader(der, 0, der.length);
  }

  /** Reads the elements of one constructed value (or of a whole encoding) in order. */
  static final class Reader {
    private final byte[] der;
    private int at;
    private final int end;

    private Reader(byte[] der, int from, int end) {
      this.der = der;
      this.at = from;
      this.end = end;
    }

    boolean hasMore() {
      return at < end;
    }

    int peekTag() {
      if (at >= end) {
        throw new IllegalArgumentException("unexpected end of data");
      }
      return der[at] & 0xFF;
    }

    /** The next element's content, after checking its tag. */
    private int[] next(int tag) {
      int found = peekTag();
      if (tag >= 0 && found != tag) {
        throw new IllegalArgumentException(
            "expected tag 0x"
                + Integer.toHexString(tag)
                + ", found 0x"
                + Integer.toHexString(found));
      }
      int p = at + 1;
      if (p >= end) {
        throw new IllegalArgumentException("truncated length");
      }
      int first = der[p++] & 0xFF;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int bytes = first & 0x7F;
        if (bytes == 0 || bytes > 4 || p + bytes > end) {
          throw new IllegalArgumentException("bad length");
        }
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[p++] & 0xFF);
        }
      }
      if (length > end - p) {
        throw new IllegalArgumentException("length " + length + " runs past the end");
      }
      int start = at;
      at = p + (int) length;
      return new int[] {start, p, at};
    }

    Reader sequence() {
      return constructed(0x30);
    }

    /** The next element, which must have {@code tag}, as a reader of its content. */
    Reader constructed(int tag) {
      int[] e = next(tag);
      return new Reader(der, e[1], e[2]);
    }

    BigInteger integer() {
      int[] e = next(0x02);
      if (e[2] == e[1]) {
        throw new IllegalArgumentException("empty integer");
      }
      return new BigInteger(Arrays.copyOfRange(der, e[1], e[2]));
    }

    String oid() {
      int[] e = next(0x06);
      if (e[2] == e[1]) {
        throw new IllegalArgumentException("empty object identifier");
      }
      StringBuilder s = new StringBuilder();
      long value = 0;
      boolean first = true;
      for (int i = e[1]; i < e[2]; i++) {
        int b = der[i] & 0xFF;
        if (value > (Long.MAX_VALUE >>> 7)) {
          throw new IllegalArgumentException("object identifier arc too large");
        }
        value = (value << 7) | (b & 0x7F);
        if ((b & 0x80) == 0) {
          if (first) {
            long top = Math.min(value / 40, 2);
            s.append(top).append('.').append(value - top * 40);
            first = false;
          } else {
            s.append('.').append(value);
          }
          value = 0;
        }
      }
      return s.toString();
    }

    /** The next element whole: tag, length and content. */
    byte[] element() {
      int[] e = next(-1);
      return Arrays.copyOfRange(der, e[0], e[2]);
    }

    void skip() {
      next(-1);
    }
  }
}
