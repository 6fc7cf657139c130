package dev.braid.poetry;

/**
 * A poem could not be transformed: the transform is unknown, it failed, or the transform server
 * closed the connection without a reply (which is how the protocol says either).
 */
public class TransformException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong, naming the transform
   */
  public TransformException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong, naming the transform
   * @param cause the error behind it, or null
   */
  public TransformException(String message, Throwable cause) {
    super(message, cause);
  }
}
