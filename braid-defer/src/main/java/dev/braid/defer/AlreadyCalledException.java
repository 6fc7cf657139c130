package dev.braid.defer;

/**
 * Thrown when something that fires only once is fired again: a second {@code callback} or {@code
 * errback} on a {@link Deferred} (Twisted's {@code AlreadyCalledError}), or a {@link DelayedCall}
 * that has already run being cancelled, reset or delayed (Twisted's {@code AlreadyCalled}).
 *
 * <p>In debug mode ({@link Deferred#setDebugging}) the message of a Deferred's exception names the
 * site that created the Deferred and the site that fired it first.
 */
public class AlreadyCalledException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was fired twice, and in debug mode where it was created and first fired
   */
  public AlreadyCalledException(String message) {
    super(message);
  }
}
