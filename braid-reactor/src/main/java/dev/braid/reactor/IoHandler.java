package dev.braid.reactor;

/**
 * What a selection key's attachment does when the selector reports it ready: a listening port
 * accepts, a connector finishes connecting, a transport reads and writes.
 *
 * <p>Threading: called on the reactor thread, from inside {@code Selector.select}.
 */
interface IoHandler {
  /**
   * Handles readiness.
   *
   * @param readyOps the key's ready operations
   */
  void handleReady(int readyOps);

  /**
   * The handler threw from {@link #handleReady} (a bug, not a user error): close what it owns.
   *
   * @param error what it threw
   */
  void handlerFailed(Throwable error);
}
