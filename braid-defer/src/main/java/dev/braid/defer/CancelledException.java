package dev.braid.defer;

import java.util.concurrent.CancellationException;

/**
 * The failure of a {@link Deferred} that was cancelled (Twisted's {@code CancelledError}).
 *
 * <p>It extends the JDK's {@link CancellationException}, so code that knows {@code
 * CompletableFuture} recognises it; {@link Failure#check} with either class matches it.
 */
public class CancelledException extends CancellationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the message "Deferred was cancelled". */
  public CancelledException() {
    super("Deferred was cancelled");
  }

  /**
   * Creates the exception with a message of the caller's choosing.
   *
   * @param message what was cancelled and why
   */
  public CancelledException(String message) {
    super(message);
  }
}
