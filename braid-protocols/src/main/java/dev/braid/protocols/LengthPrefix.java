package dev.braid.protocols;

/**
 * The shape of a length-prefixed frame: how many bytes the big-endian unsigned length takes, and
 * the largest payload accepted (Twisted's {@code IntNStringReceiver} {@code structFormat} and
 * {@code MAX_LENGTH}).
 *
 * <pre>{@code
 * LengthPrefix.int32()                     // 4-byte length, at most 99999 bytes
 * LengthPrefix.int16().withMaxLength(512)  // 2-byte length, at most 512 bytes
 * }</pre>
 *
 * @param size the length field's size in bytes: 1, 2 or 4
 * @param maxLength the largest payload accepted; not negative
 */
public record LengthPrefix(int size, long maxLength) {
  /** Twisted's default {@code MAX_LENGTH}: 99999 bytes. */
  public static final long DEFAULT_MAX_LENGTH = 99999;

  /**
   * Checks the fields.
   *
   * @param size 1, 2 or 4
   * @param maxLength not negative
   */
  public LengthPrefix {
    if (size != 1 && size != 2 && size != 4) {
      throw new IllegalArgumentException("prefix size must be 1, 2 or 4 bytes: " + size);
    }
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
    }
  }

  /**
   * A 4-byte length (Twisted's {@code Int32StringReceiver}, struct format {@code !I}).
   *
   * @return the shape, with the default maximum
   */
  public static LengthPrefix int32() {
    return new LengthPrefix(4, DEFAULT_MAX_LENGTH);
  }

  /**
   * A 2-byte length (Twisted's {@code Int16StringReceiver}, {@code !H}).
   *
   * @return the shape, with the default maximum
   */
  public static LengthPrefix int16() {
    return new LengthPrefix(2, DEFAULT_MAX_LENGTH);
  }

  /**
   * A 1-byte length (Twisted's {@code Int8StringReceiver}, {@code !B}).
   *
   * @return the shape, with the default maximum
   */
  public static LengthPrefix int8() {
    return new LengthPrefix(1, DEFAULT_MAX_LENGTH);
  }

  /**
   * Returns this shape with another maximum payload length.
   *
   * @param newMaxLength the largest payload accepted
   * @return a new shape
   */
  public LengthPrefix withMaxLength(long newMaxLength) {
    return new LengthPrefix(size, newMaxLength);
  }

  /**
   * {@return the first length the prefix cannot express, 2<sup>8·size</sup>: 256, 65536 or
   * 4294967296}
   */
  public long limit() {
    return 1L << (8 * size);
  }

  /**
   * Frames {@code payload}: the big-endian length followed by the bytes.
   *
   * @param payload the bytes to frame
   * @return a new array with the frame
   * @throws StringTooLongException if the length does not fit the prefix ({@code >= limit()}); the
   *     maximum length is a limit on what is received, not on what is sent, as in Twisted
   */
  public byte[] encode(byte[] payload) {
    long length = payload.length;
    if (length >= limit()) {
      throw new StringTooLongException(
          "cannot send a string of "
              + length
              + " bytes with a "
              + size
              + "-byte length prefix (limit "
              + limit()
              + ")");
    }
    byte[] out = new byte[size + payload.length];
    for (int i = 0; i < size; i++) {
      out[i] = (byte) (length >>> (8 * (size - 1 - i)));
    }
    System.arraycopy(payload, 0, out, size, payload.length);
    return out;
  }
}
