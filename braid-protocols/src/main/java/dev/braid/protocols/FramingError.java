package dev.braid.protocols;

import java.util.Objects;

/**
 * Why a framer rejected its input, and where.
 *
 * @param kind what was wrong
 * @param position the offset in the framer's input (counting every byte appended since it was made,
 *     from 0) of the byte at which the input became certainly invalid; the same however the input
 *     was split into reads
 * @param message a description, Twisted's where Twisted has one
 */
public record FramingError(Kind kind, long position, String message) {
  /** What was wrong with the input. */
  public enum Kind {
    /** A netstring did not start with a valid decimal length (Twisted's MISSING_LENGTH). */
    MISSING_LENGTH,
    /** A declared length is above the framer's maximum (netstring TOO_LONG, length prefixes). */
    LENGTH_TOO_LONG,
    /** A netstring's payload was not followed by a comma (Twisted's MISSING_COMMA). */
    MISSING_COMMA,
    /** A line is longer than the maximum. */
    LINE_TOO_LONG
  }

  /**
   * Checks the fields.
   *
   * @param kind what was wrong
   * @param position where, not negative
   * @param message a description
   */
  public FramingError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    if (position < 0) {
      throw new IllegalArgumentException("position must not be negative: " + position);
    }
  }
}
