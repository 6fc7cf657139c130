package dev.braid.net;

/**
 * The connection was not established within the connect timeout (Twisted's {@code TimeoutError}).
 */
public class ConnectTimeoutError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message naming the address and the timeout
   * @param cause the underlying exception, or null
   */
  public ConnectTimeoutError(String message, Throwable cause) {
    super(message, cause);
  }
}
