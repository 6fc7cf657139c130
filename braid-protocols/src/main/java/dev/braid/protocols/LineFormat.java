package dev.braid.protocols;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How lines are delimited and how long one may be: the configuration of a {@link LineFramer},
 * {@link LineReceiver} or {@link LineOnlyReceiver} (Twisted's {@code delimiter} and {@code
 * MAX_LENGTH} attributes).
 *
 * <pre>{@code
 * LineFormat.crlf()                       // "\r\n", 16384 bytes, Twisted's defaults
 * LineFormat.lf().withMaxLength(64)       // "\n", 64 bytes
 * }</pre>
 *
 * @param delimiter the bytes that end a line; not empty. Copied in and out.
 * @param maxLength the longest line accepted, delimiter excluded; not negative
 */
public record LineFormat(byte[] delimiter, int maxLength) {
  /** Twisted's default {@code MAX_LENGTH} for lines: 16384 bytes. */
  public static final int DEFAULT_MAX_LENGTH = 16384;

  /**
   * Checks and copies the fields.
   *
   * @param delimiter the bytes that end a line; not empty
   * @param maxLength the longest line accepted; not negative
   */
  public LineFormat {
    Objects.requireNonNull(delimiter, "delimiter");
    if (delimiter.length == 0) {
      throw new IllegalArgumentException("delimiter must not be empty");
    }
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative: " + maxLength);
    }
    delimiter = delimiter.clone();
  }

  /**
   * Lines ended by CR LF, at most {@value #DEFAULT_MAX_LENGTH} bytes: Twisted's defaults. A bare LF
   * is not a delimiter.
   *
   * @return the format
   */
  public static LineFormat crlf() {
    return new LineFormat(new byte[] {'\r', '\n'}, DEFAULT_MAX_LENGTH);
  }

  /**
   * Lines ended by LF, at most {@value #DEFAULT_MAX_LENGTH} bytes.
   *
   * @return the format
   */
  public static LineFormat lf() {
    return new LineFormat(new byte[] {'\n'}, DEFAULT_MAX_LENGTH);
  }

  /**
   * Lines ended by {@code delimiter}, at most {@value #DEFAULT_MAX_LENGTH} bytes.
   *
   * @param delimiter the delimiter, encoded as UTF-8; not empty
   * @return the format
   */
  public static LineFormat delimitedBy(String delimiter) {
    return new LineFormat(delimiter.getBytes(StandardCharsets.UTF_8), DEFAULT_MAX_LENGTH);
  }

  /**
   * Returns this format with another maximum line length.
   *
   * @param newMaxLength the longest line accepted, delimiter excluded
   * @return a new format
   */
  public LineFormat withMaxLength(int newMaxLength) {
    return new LineFormat(delimiter, newMaxLength);
  }

  /** {@return a copy of the delimiter: the bytes that end a line} */
  @Override
  public byte[] delimiter() {
    return delimiter.clone();
  }

  /** Returns the delimiter without copying, for this package. */
  byte[] delimiterBytes() {
    return delimiter;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LineFormat that
        && maxLength == that.maxLength
        && Arrays.equals(delimiter, that.delimiter);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(delimiter) + maxLength;
  }

  @Override
  public String toString() {
    return "LineFormat[delimiter=0x"
        + HexFormat.of().formatHex(delimiter)
        + ", maxLength="
        + maxLength
        + "]";
  }
}
