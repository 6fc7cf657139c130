package dev.braid.protocols;

/**
 * A string is too long for the length prefix it would be sent with: Twisted's {@code
 * StringTooLongError} (an {@code AssertionError} there; an {@link IllegalArgumentException} here,
 * since the caller passed an argument the method cannot take).
 */
public final class StringTooLongException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the length, the prefix size and the limit
   */
  public StringTooLongException(String message) {
    super(message);
  }
}
