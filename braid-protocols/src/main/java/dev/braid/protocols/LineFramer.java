package dev.braid.protocols;

import java.util.Objects;

/**
 * Splits a byte stream into lines; does no I/O. {@link LineReceiver} and {@link LineOnlyReceiver}
 * delegate to it.
 *
 * <h2>Format</h2>
 *
 * <pre>
 * +----------------------+-----------+----------------------+-----------+
 * | line (maxLength max) | delimiter | line                 | delimiter | ...
 * +----------------------+-----------+----------------------+-----------+
 *   "GET /"                "\r\n"      ""                     "\r\n"
 * </pre>
 *
 * The delimiter ({@link LineFormat#crlf()} by default, as in Twisted) is not part of the line. A
 * line of exactly {@code maxLength} bytes is accepted.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * framer.append(bytesFromTheNetwork);
 * for (byte[] line; (line = framer.next()) != null; ) {
 *   handle(line);
 * }
 * if (framer.error() != null) {
 *   // the current line is too long: framer.clear() or framer.discardLine() to go on
 * }
 * }</pre>
 *
 * <h2>Errors</h2>
 *
 * A line longer than the maximum is a {@link FramingError.Kind#LINE_TOO_LONG} error, reported at
 * the first byte after which no delimiter can start within {@code maxLength} bytes of the line's
 * start: for the single-byte delimiter {@code \n} at the line's byte {@code maxLength + 1}, for
 * {@code \r\n} at that byte unless it is a {@code \r}. That point depends on the bytes only, never
 * on how they were split into reads. The error stays until {@link #clear()} or {@link
 * #discardLine()}.
 *
 * <h2>Security</h2>
 *
 * <ul>
 *   <li>The search for a delimiter never looks further than {@code maxLength} plus the delimiter
 *       into a line, and the error comes as soon as the line is certainly too long. Bytes already
 *       read stay buffered until the caller clears or discards them; it never asks a peer's
 *       permission to allocate anything.
 *   <li>Linear time whether a line arrives whole, one byte at a time, or as thousands of short
 *       lines in one read: the framer remembers how far it has searched and never searches a byte
 *       twice (only the last {@code delimiter.length - 1} bytes, for a delimiter split across
 *       reads).
 *   <li>A peer that sends part of a line and stops holds at most {@code maxLength} plus the
 *       delimiter bytes of buffer; bound the time with {@link Policies#frameDeadline}.
 * </ul>
 *
 * <p>Twisted: the parsing inside {@code LineReceiver} and {@code LineOnlyReceiver}; Netty: {@code
 * LineBasedFrameDecoder}, {@code DelimiterBasedFrameDecoder}. Threading: not thread-safe; one
 * framer per connection.
 */
public final class LineFramer {
  /** When a line without a delimiter counts as too long. */
  enum Limit {
    /** As soon as no delimiter can start within maxLength bytes: see the class comment. */
    EARLIEST,
    /** Twisted's LineReceiver: once maxLength + delimiter.length bytes hold no delimiter. */
    LINE_RECEIVER
  }

  private final byte[] delimiter;
  private final Limit limit;
  private LineFormat format;
  private int maxLength;
  private final InputBuffer buffer = new InputBuffer();

  /** Delimiter starts before this index (relative to the read index) have been ruled out. */
  private int scanned;

  private boolean discarding;
  private FramingError error;
  private long examined;

  private LineFramer(LineFormat format, Limit limit) {
    this.format = format;
    this.delimiter = format.delimiterBytes();
    this.maxLength = format.maxLength();
    this.limit = limit;
  }

  /**
   * Creates a framer for lines in {@code format}.
   *
   * @param format the delimiter and maximum line length
   * @return a new framer
   */
  public static LineFramer create(LineFormat format) {
    return new LineFramer(Objects.requireNonNull(format, "format"), Limit.EARLIEST);
  }

  /** Creates a framer with Twisted LineReceiver's limit rule. */
  static LineFramer forLineReceiver(LineFormat format) {
    return new LineFramer(Objects.requireNonNull(format, "format"), Limit.LINE_RECEIVER);
  }

  /** {@return the format: the delimiter and maximum this framer uses} */
  public LineFormat format() {
    return format;
  }

  /**
   * Changes the maximum from the next call to {@link #next()} on, for the line being received too.
   * A line already reported too long stays so. Bytes ruled out as a delimiter's start stay ruled
   * out, so this costs no rescan.
   */
  void setMaxLength(int newMaxLength) {
    format = format.withMaxLength(newMaxLength);
    maxLength = newMaxLength;
  }

  /**
   * Adds bytes that arrived. They are copied.
   *
   * @param data the bytes, in stream order
   */
  public void append(byte[] data) {
    Objects.requireNonNull(data, "data");
    buffer.append(data);
  }

  /**
   * Returns the next complete line without its delimiter, or null when more input is needed or the
   * current line is too long (then {@link #error()} says so).
   *
   * @return a new array with the line, or null
   */
  public byte[] next() {
    if (error != null || (discarding && !skipDiscardedLine())) {
      return null;
    }
    int available = buffer.size();
    int dlen = delimiter.length;
    int end = (int) Math.min(available, (long) maxLength + dlen);
    int found = find(scanned, end);
    if (found >= 0) {
      byte[] line = buffer.take(found);
      buffer.skip(dlen);
      scanned = 0;
      return line;
    }
    scanned = Math.max(scanned, end - dlen + 1);
    int doomed = limit == Limit.EARLIEST ? doomedAt(available) : twistedDoomedAt(available);
    if (doomed > 0) {
      error =
          new FramingError(
              FramingError.Kind.LINE_TOO_LONG,
              buffer.positionOf(doomed - 1),
              "line longer than the maximum of " + maxLength + " bytes");
    }
    return null;
  }

  /** Returns the first delimiter start in [from, end - dlen], or -1. */
  private int find(int from, int end) {
    int dlen = delimiter.length;
    byte first = delimiter[0];
    for (int j = from; j <= end - dlen; j++) {
      examined++;
      if (buffer.get(j) == first) {
        int k = 1;
        while (k < dlen && buffer.get(j + k) == delimiter[k]) {
          k++;
        }
        examined += k - 1;
        if (k == dlen) {
          return j;
        }
      }
    }
    return -1;
  }

  /**
   * With {@code available} bytes of the current line buffered and no delimiter among them, returns
   * the smallest count n of bytes after which no delimiter can start at or before index maxLength,
   * or -1 if a line of at most maxLength bytes is still possible.
   */
  private int doomedAt(int available) {
    int dlen = delimiter.length;
    long last = Math.min(available, (long) maxLength + dlen);
    for (long n = (long) maxLength + 1; n <= last; n++) {
      boolean possible = false;
      for (long j = Math.max(0, n - dlen + 1); j <= maxLength && !possible; j++) {
        possible = isDelimiterPrefix((int) j, (int) (n - j));
      }
      if (!possible) {
        return (int) n;
      }
    }
    return -1;
  }

  private int twistedDoomedAt(int available) {
    long n = (long) maxLength + delimiter.length;
    return available >= n ? (int) n : -1;
  }

  private boolean isDelimiterPrefix(int at, int length) {
    for (int k = 0; k < length; k++) {
      examined++;
      if (buffer.get(at + k) != delimiter[k]) {
        return false;
      }
    }
    return true;
  }

  /** Drops bytes up to and including the next delimiter; returns false if it has not come yet. */
  private boolean skipDiscardedLine() {
    int available = buffer.size();
    int found = find(scanned, available);
    if (found >= 0) {
      buffer.skip(found + delimiter.length);
      scanned = 0;
      discarding = false;
      return true;
    }
    int keep = Math.min(available, delimiter.length - 1);
    buffer.skip(available - keep);
    scanned = 0;
    return false;
  }

  /**
   * {@return why the current line was rejected, or null; the error stays until {@link #clear()} or
   * {@link #discardLine()}}
   */
  public FramingError error() {
    return error;
  }

  /**
   * Returns every buffered byte and empties the buffer, clearing any error: Twisted's {@code
   * clearLineBuffer}, also used for raw mode.
   *
   * @return the bytes not yet returned as lines, possibly empty
   */
  public byte[] clear() {
    scanned = 0;
    error = null;
    discarding = false;
    return buffer.takeAll();
  }

  /**
   * {@return a copy of the buffered bytes of the current line: up to its delimiter if that has
   * arrived, else all buffered bytes} Does not consume them.
   */
  public byte[] currentLine() {
    int found = find(0, buffer.size());
    return buffer.copy(0, found >= 0 ? found : buffer.size());
  }

  /**
   * Drops the current (too long) line: the bytes buffered and those still to come up to and
   * including its delimiter; clears the error. Parsing goes on with the line after it.
   */
  public void discardLine() {
    error = null;
    discarding = true;
    skipDiscardedLine();
  }

  /**
   * {@return the offset in this framer's input of the first byte of the line that has started but
   * not ended, or -1 when nothing is buffered}
   */
  public long partialFrameStart() {
    return buffer.size() > 0 ? buffer.position() : -1;
  }

  /** {@return how many bytes are buffered and not yet returned} */
  public int buffered() {
    return buffer.size();
  }

  /** How many input bytes the parser has looked at, for the linearity test. */
  long bytesExamined() {
    return examined;
  }
}
