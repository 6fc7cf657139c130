package dev.braid.defer;

/**
 * Thrown when a {@link DelayedCall} that was already cancelled is cancelled, reset or delayed
 * (Twisted's {@code AlreadyCancelled}).
 */
public class AlreadyCancelledException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which call, and what was attempted
   */
  public AlreadyCancelledException(String message) {
    super(message);
  }
}
