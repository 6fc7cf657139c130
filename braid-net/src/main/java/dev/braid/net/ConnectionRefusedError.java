package dev.braid.net;

/** Nothing was listening at the address, or the peer refused the connection. */
public class ConnectionRefusedError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message naming the address, e.g. "127.0.0.1:10002: connection refused"
   * @param cause the underlying exception, or null
   */
  public ConnectionRefusedError(String message, Throwable cause) {
    super(message, cause);
  }
}
