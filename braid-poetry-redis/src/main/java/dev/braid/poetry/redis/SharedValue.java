package dev.braid.poetry.redis;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A poem as it is kept in Redis: a 4-byte mark ({@code BP1} and a newline), the poem's CRC-32C,
 * then the poem's bytes. Redis stores a value whole or not at all, so a poem cannot arrive cut; the
 * mark and checksum keep a member from serving whatever else may sit under the key (another
 * program's value, a future format) as a poem.
 */
final class SharedValue {
  private static final byte[] MARK = {'B', 'P', '1', '\n'};
  static final int HEADER = MARK.length + 4;

  private SharedValue() {}

  static byte[] encode(byte[] poem) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + poem.length);
    b.put(MARK).putInt(crc(poem, 0, poem.length)).put(poem);
    return b.array();
  }

  /** {@return the poem, or null if {@code value} is not a poem stored by {@link #encode}} */
  static byte[] decode(byte[] value) {
    if (value == null
        || value.length <= HEADER
        || !Arrays.equals(value, 0, MARK.length, MARK, 0, MARK.length)) {
      return null;
    }
    int crc = ByteBuffer.wrap(value, MARK.length, 4).getInt();
    if (crc != crc(value, HEADER, value.length - HEADER)) {
      return null;
    }
    return Arrays.copyOfRange(value, HEADER, value.length);
  }

  private static int crc(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }
}
