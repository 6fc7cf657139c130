package dev.braid.defer;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The failure of a {@link Deferred} whose {@link Deferred#addTimeout timeout} expired and whose
 * cancellation ended in a {@link CancelledException} (Twisted's {@code defer.TimeoutError}).
 */
public class DeferredTimeoutException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /**
   * Creates the exception.
   *
   * @param timeout the timeout that expired
   */
  public DeferredTimeoutException(Duration timeout) {
    super("Deferred timed out after " + Clock.describe(timeout));
    this.timeout = timeout;
  }

  /** {@return the timeout that expired, as given to {@code addTimeout}} */
  public Duration timeout() {
    return timeout;
  }
}
