package dev.braid.net;

/**
 * The connection was closed cleanly: the peer ended its stream, or {@link Transport#loseConnection}
 * finished (Twisted's {@code ConnectionDone}).
 *
 * <p>It carries no stack trace: a clean close is not an error, it happens once per connection, and
 * where it was detected (the reactor's loop) says nothing. Creating one therefore costs no stack
 * walk, as Twisted shares one {@code connectionDone} failure for every connection.
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

  /**
   * Records no stack trace (see the class comment).
   *
   * @return this
   */
  @Override
  public Throwable fillInStackTrace() {
    return this;
  }
}
