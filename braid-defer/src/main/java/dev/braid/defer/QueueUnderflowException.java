package dev.braid.defer;

/**
 * Thrown by {@link DeferredQueue#get} when the queue is empty and as many getters as its backlog
 * allows are already waiting (Twisted's {@code QueueUnderflow}).
 */
public class QueueUnderflowException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what underflowed, with the limit
   */
  public QueueUnderflowException(String message) {
    super(message);
  }
}
