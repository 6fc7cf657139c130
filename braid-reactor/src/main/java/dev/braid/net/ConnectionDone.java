package dev.braid.net;

/**
 * The connection was closed cleanly: the peer ended its stream, or {@link Transport#loseConnection}
 * finished (Twisted's {@code ConnectionDone}).
 */
public final class ConnectionDone extends ConnectionEnd {
  private static final long serialVersionUID = 1L;

  /** Creates the reason with the message "Connection was closed cleanly." */
  public ConnectionDone() {
    super("Connection was closed cleanly.", null);
  }

  /**
   * Creates the reason with a message of the caller's choosing.
   *
   * @param message how the connection closed
   */
  public ConnectionDone(String message) {
    super(message, null);
  }
}
