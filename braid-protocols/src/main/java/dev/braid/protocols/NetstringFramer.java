package dev.braid.protocols;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Splits a byte stream into netstrings; does no I/O. {@link NetstringReceiver} delegates to it.
 *
 * <h2>Format</h2>
 *
 * D. J. Bernstein's netstrings, as Twisted's {@code NetstringReceiver} reads them:
 *
 * <pre>
 * +---------------------+-----+------------------+-----+
 * | length, ASCII digits|  :  | payload (length) |  ,  |
 * +---------------------+-----+------------------+-----+
 *   "5"                   ":"   "hello"            ","      = 5:hello,
 *   "0"                   ":"   ""                 ","      = 0:,
 * </pre>
 *
 * The length matches {@code 0|[1-9][0-9]*}: no sign, no leading zero (except a bare {@code 0}), no
 * whitespace. The payload may contain any byte, {@code :} and {@code ,} included.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * framer.append(bytesFromTheNetwork);
 * for (byte[] s; (s = framer.next()) != null; ) {
 *   handle(s);
 * }
 * if (framer.error() != null) {
 *   closeTheConnection();
 * }
 * }</pre>
 *
 * <h2>Errors</h2>
 *
 * The first error ({@link FramingError.Kind#MISSING_LENGTH}, {@link
 * FramingError.Kind#LENGTH_TOO_LONG}, {@link FramingError.Kind#MISSING_COMMA}, with Twisted's
 * messages) is final: {@link #error()} keeps it, {@link #next()} returns null and later input is
 * dropped without being buffered. Each is reported at the byte that makes the input certainly
 * invalid, whatever the chunking: a bad length character as soon as it arrives, a length above the
 * maximum as soon as its digits exceed it (before the colon), a missing comma when the byte after
 * the payload is not one.
 *
 * <h2>Security</h2>
 *
 * <ul>
 *   <li>The maximum payload length (default {@value #DEFAULT_MAX_LENGTH} bytes, Twisted's {@code
 *       MAX_LENGTH}) is checked digit by digit, before any payload is buffered; the length field
 *       itself can never grow past the digits of the maximum.
 *   <li>Nothing is allocated from the declared length: the payload is buffered as it arrives, and
 *       the frame is copied out only when all of it is there. A peer that declares 99999 bytes and
 *       sends 3 costs 3 bytes.
 *   <li>Parsing is linear in the input whether it arrives whole, one byte at a time, or as
 *       thousands of frames in one read: each length byte is examined once and payload bytes are
 *       not examined at all.
 *   <li>A peer that starts a frame and never finishes it holds up to the maximum plus the header;
 *       bound the time with {@link Policies#frameDeadline}.
 * </ul>
 *
 * <p>Twisted: {@code twisted.protocols.basic.NetstringReceiver}'s parser; see also Netty's {@code
 * LengthFieldBasedFrameDecoder}. Threading: not thread-safe; one framer per connection.
 */
public final class NetstringFramer {
  /** Twisted's default {@code MAX_LENGTH}: 99999 bytes. */
  public static final int DEFAULT_MAX_LENGTH = 99999;

  static final String MISSING_LENGTH =
      "The received netstring does not start with a length specification.";
  static final String TOO_LONG = "The received netstring is longer than the maximum of %s bytes.";
  static final String MISSING_COMMA = "The received netstring is not terminated by a comma.";

  private final InputBuffer buffer = new InputBuffer();
  private int maxLength;
  private int maxLengthSize;
  private boolean inPayload;
  private int digits;
  private long declared;
  private long frameStart = -1;
  private FramingError error;
  private long examined;

  private NetstringFramer(int maxLength) {
    setMaxLength(maxLength);
  }

  /**
   * Changes the maximum for the length digits parsed from now on; a length already parsed whole is
   * not checked again (Twisted checks {@code MAX_LENGTH} only while reading the length).
   */
  void setMaxLength(int newMaxLength) {
    maxLength = newMaxLength;
    // Twisted's _maxLengthSize(): ceil(log10(MAX_LENGTH)) + 1 digits.
    maxLengthSize = newMaxLength <= 1 ? 1 : Integer.toString(newMaxLength - 1).length() + 1;
  }

  /** Throws unless {@code maxLength} is a valid maximum: not negative. */
  static void checkMaxLength(int maxLength) {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
    }
  }

  /**
   * Creates a framer with the default maximum, {@value #DEFAULT_MAX_LENGTH} bytes.
   *
   * @return a new framer
   */
  public static NetstringFramer create() {
    return new NetstringFramer(DEFAULT_MAX_LENGTH);
  }

  /**
   * Creates a framer that rejects payloads longer than {@code maxLength}.
   *
   * @param maxLength the largest payload accepted, in bytes; 0 accepts only {@code 0:,}
   * @return a new framer
   * @throws IllegalArgumentException if {@code maxLength} is negative
   */
  public static NetstringFramer create(int maxLength) {
    checkMaxLength(maxLength);
    return new NetstringFramer(maxLength);
  }

  /**
   * Encodes {@code payload} as a netstring: {@code "hello"} gives {@code 5:hello,}.
   *
   * @param payload the bytes to frame
   * @return a new array with the netstring
   */
  public static byte[] encode(byte[] payload) {
    byte[] length = Integer.toString(payload.length).getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[length.length + payload.length + 2];
    System.arraycopy(length, 0, out, 0, length.length);
    out[length.length] = ':';
    System.arraycopy(payload, 0, out, length.length + 1, payload.length);
    out[out.length - 1] = ',';
    return out;
  }

  /** {@return the largest payload accepted, in bytes} */
  public int maxLength() {
    return maxLength;
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
   * {@link #append} for an array the caller gives away (a protocol's {@code dataReceived} array):
   * when nothing is buffered it is used as is, without a copy. The caller must not touch it after.
   */
  void appendOwned(byte[] data) {
    if (error == null) {
      buffer.appendOwned(data);
    }
  }

  /**
   * Returns the next complete netstring's payload, or null when more input is needed or the input
   * is invalid (then {@link #error()} says why).
   *
   * @return a new array with the payload, or null
   */
  public byte[] next() {
    if (error != null) {
      return null;
    }
    while (!inPayload) {
      if (buffer.size() == 0) {
        return null;
      }
      byte b = buffer.get(0);
      examined++;
      long position = buffer.position();
      if (digits == 0) {
        frameStart = position;
      }
      if (b == ':') {
        if (digits == 0) {
          return fail(FramingError.Kind.MISSING_LENGTH, position, MISSING_LENGTH);
        }
        buffer.skip(1);
        inPayload = true;
      } else if (b >= '0' && b <= '9') {
        if (digits == 1 && declared == 0) {
          return fail(FramingError.Kind.MISSING_LENGTH, position, MISSING_LENGTH);
        }
        digits++;
        declared = declared * 10 + (b - '0');
        if (digits > maxLengthSize || declared > maxLength) {
          return fail(
              FramingError.Kind.LENGTH_TOO_LONG, position, String.format(TOO_LONG, maxLength));
        }
        buffer.skip(1);
      } else {
        return fail(FramingError.Kind.MISSING_LENGTH, position, MISSING_LENGTH);
      }
    }
    int length = (int) declared;
    if (buffer.size() <= length) {
      return null;
    }
    examined++;
    if (buffer.get(length) != ',') {
      return fail(FramingError.Kind.MISSING_COMMA, buffer.positionOf(length), MISSING_COMMA);
    }
    byte[] payload = buffer.take(length);
    buffer.skip(1);
    inPayload = false;
    digits = 0;
    declared = 0;
    frameStart = -1;
    return payload;
  }

  private byte[] fail(FramingError.Kind kind, long position, String message) {
    error = new FramingError(kind, position, message);
    return null;
  }

  /**
   * {@return why the input was rejected, or null while it is valid so far; the first error is
   * final}
   */
  public FramingError error() {
    return error;
  }

  /**
   * {@return the offset in this framer's input of the first length digit of the netstring that has
   * started but not ended, or -1}
   */
  public long partialFrameStart() {
    if (error != null) {
      return -1;
    }
    if (digits > 0) {
      return frameStart;
    }
    return buffer.size() > 0 ? buffer.position() : -1;
  }

  /**
   * {@return how many bytes are buffered and not yet returned (length digits already parsed are not
   * counted)}
   */
  public int buffered() {
    return buffer.size();
  }

  /** The payload size plus one for the comma, while a payload is expected; else 0 (Twisted's). */
  int expectedPayloadSize() {
    return inPayload ? (int) declared + 1 : 0;
  }

  /** How many input bytes the parser has looked at, for the linearity test. */
  long bytesExamined() {
    return examined;
  }
}
