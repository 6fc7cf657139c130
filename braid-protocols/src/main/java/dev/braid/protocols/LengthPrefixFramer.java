package dev.braid.protocols;

import java.util.Objects;

/**
 * Splits a byte stream into length-prefixed frames; does no I/O. {@link IntNStringReceiver} (and so
 * {@link Int32StringReceiver}, {@link Int16StringReceiver}, {@link Int8StringReceiver}) delegates
 * to it.
 *
 * <h2>Format</h2>
 *
 * A big-endian unsigned length of {@link LengthPrefix#size()} bytes, then that many payload bytes:
 *
 * <pre>
 * int32:  +----+----+----+----+-----------------+
 *         | 00 | 00 | 00 | 05 | h  e  l  l  o   |
 *         +----+----+----+----+-----------------+
 * int16:  +----+----+-----------------+
 *         | 00 | 05 | h  e  l  l  o   |
 *         +----+----+-----------------+
 * int8:   +----+-----------------+       a length of 0 is an empty payload
 *         | 05 | h  e  l  l  o   |
 *         +----+-----------------+
 * </pre>
 *
 * <h2>Errors</h2>
 *
 * A declared length above {@link LengthPrefix#maxLength()} is a {@link
 * FramingError.Kind#LENGTH_TOO_LONG} error at the prefix's last byte, found before any of the
 * payload is buffered; {@link #declaredLength()} tells the length. As in Twisted the frame is never
 * delivered, even if all of it has arrived, and the bytes already buffered are kept ({@link
 * #buffered()}); unlike Twisted, input that arrives after the error is dropped, so a peer cannot
 * grow the buffer while the connection closes.
 *
 * <h2>Security</h2>
 *
 * <ul>
 *   <li>The maximum (default {@value LengthPrefix#DEFAULT_MAX_LENGTH} bytes) is checked as soon as
 *       the prefix is complete, before the payload is buffered.
 *   <li>Nothing is allocated from the declared length: the payload is buffered as it arrives and
 *       copied out once complete. A peer that declares 4 GiB and sends 10 bytes costs 10 bytes.
 *   <li>Linear time however the input is split: the prefix is read once per frame and payload bytes
 *       are not examined.
 *   <li>A peer that sends part of a frame and stops holds up to the maximum plus the prefix; bound
 *       the time with {@link Policies#frameDeadline}.
 * </ul>
 *
 * <p>Twisted: {@code twisted.protocols.basic.IntNStringReceiver}; Netty: {@code
 * LengthFieldBasedFrameDecoder}. Threading: not thread-safe; one framer per connection.
 */
public final class LengthPrefixFramer {
  private LengthPrefix prefix;
  private final InputBuffer buffer = new InputBuffer();
  private long declared = -1;
  private FramingError error;
  private long examined;

  private LengthPrefixFramer(LengthPrefix prefix) {
    this.prefix = prefix;
  }

  /**
   * Creates a framer for frames of the given shape.
   *
   * @param prefix the prefix size and maximum payload length
   * @return a new framer
   */
  public static LengthPrefixFramer create(LengthPrefix prefix) {
    return new LengthPrefixFramer(Objects.requireNonNull(prefix, "prefix"));
  }

  /** {@return the shape of the frames: the prefix} */
  public LengthPrefix prefix() {
    return prefix;
  }

  /**
   * Changes the maximum from the next call to {@link #next()} on, for the frame being received too:
   * a declared length above the new maximum is then an error (Twisted checks the pending length
   * against {@code MAX_LENGTH} on every read). An error already found stays.
   */
  void setMaxLength(long newMaxLength) {
    prefix = prefix.withMaxLength(newMaxLength);
  }

  /**
   * Adds bytes that arrived. They are copied; after an error they are dropped.
   *
   * @param data the bytes, in stream order
   */
  public void append(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (error == null) {
      buffer.append(data);
    }
  }

  /**
   * Returns the next complete frame's payload, or null when more input is needed or the declared
   * length is too long (then {@link #error()} says so).
   *
   * @return a new array with the payload, or null
   */
  public byte[] next() {
    if (error != null) {
      return null;
    }
    int size = prefix.size();
    if (declared < 0) {
      if (buffer.size() < size) {
        return null;
      }
      long length = 0;
      for (int i = 0; i < size; i++) {
        length = (length << 8) | (buffer.get(i) & 0xff);
      }
      examined += size;
      declared = length;
    }
    if (declared > prefix.maxLength()) {
      error =
          new FramingError(
              FramingError.Kind.LENGTH_TOO_LONG,
              buffer.positionOf(size - 1),
              "declared length " + declared + " is above the maximum of " + prefix.maxLength());
      return null;
    }
    if (buffer.size() - size < declared) {
      return null;
    }
    buffer.skip(size);
    byte[] payload = buffer.take((int) declared);
    declared = -1;
    return payload;
  }

  /** {@return why the input was rejected, or null while it is valid so far; the error is final} */
  public FramingError error() {
    return error;
  }

  /**
   * {@return the payload length declared by the prefix of the frame being received, or -1 while its
   * prefix is incomplete}
   */
  public long declaredLength() {
    return declared;
  }

  /**
   * {@return the offset in this framer's input of the first prefix byte of the frame that has
   * started but not ended, or -1}
   */
  public long partialFrameStart() {
    return error == null && buffer.size() > 0 ? buffer.position() : -1;
  }

  /** {@return how many bytes are buffered and not yet returned, prefixes included} */
  public int buffered() {
    return buffer.size();
  }

  /** How many input bytes the parser has looked at, for the linearity test. */
  long bytesExamined() {
    return examined;
  }
}
