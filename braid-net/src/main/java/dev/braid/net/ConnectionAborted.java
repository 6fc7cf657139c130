package dev.braid.net;

/**
 * The connection was closed by {@link Transport#abortConnection()} on this side (Twisted's {@code
 * ConnectionAborted}).
 */
public final class ConnectionAborted extends ConnectionLost {
  private static final long serialVersionUID = 1L;

  /** Creates the reason with the message "Connection was aborted locally." */
  public ConnectionAborted() {
    super("Connection was aborted locally.", null);
  }
}
