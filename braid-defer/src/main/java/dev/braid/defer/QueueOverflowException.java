package dev.braid.defer;

/**
 * Thrown by {@link DeferredQueue#put} when the queue already holds as many items as its size allows
 * and nobody is waiting for one (Twisted's {@code QueueOverflow}).
 */
public class QueueOverflowException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what overflowed, with the limit
   */
  public QueueOverflowException(String message) {
    super(message);
  }
}
