package dev.braid.net;

/**
 * The connection was lost in a non-clean fashion: reset by the peer, or broken by an I/O error
 * (Twisted's {@code ConnectionLost}). A local {@link ConnectionAborted abort} is one kind of lost
 * connection.
 */
public sealed class ConnectionLost extends ConnectionEnd permits ConnectionAborted {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the reason.
   *
   * @param message what happened, e.g. "Connection reset by peer"
   * @param cause the I/O error behind it, or null
   */
  public ConnectionLost(String message, Throwable cause) {
    super(message, cause);
  }
}
