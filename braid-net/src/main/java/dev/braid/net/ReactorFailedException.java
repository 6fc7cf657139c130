package dev.braid.net;

/**
 * The reactor could not go on and has shut down: its event loop failed (a {@code SelectorReactor}'s
 * selector: {@code select} threw). Thrown by {@link ReactorCore#run()} once shutdown has finished:
 * every connection was closed (its protocol told {@code connectionLost} with the same cause), every
 * connection attempt failed, every listening port closed, and the shutdown triggers have run.
 * Twisted logs such errors and goes on selecting; a Java selector that has failed cannot be trusted
 * again.
 *
 * <p>The cause is what the selector threw, typically an {@link java.io.IOException} or a {@link
 * java.nio.channels.ClosedSelectorException}.
 */
public final class ReactorFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened, naming the cause
   * @param cause what the selector threw
   */
  public ReactorFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
