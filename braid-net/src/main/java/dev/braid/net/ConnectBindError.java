package dev.braid.net;

/**
 * The socket of a connection attempt could not be bound to the local address asked for (Twisted's
 * {@code ConnectBindError}): the address is not local, is in use, or is a host name that was never
 * resolved.
 */
public class ConnectBindError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message naming the address tried and the bind address, e.g. "127.0.0.1:10002: cannot
   *     bind to nowhere.invalid:0: unresolved address"
   * @param cause the underlying exception, or null
   */
  public ConnectBindError(String message, Throwable cause) {
    super(message, cause);
  }
}
