package dev.braid.net;

import java.io.IOException;

/**
 * A connection attempt failed (Twisted's {@code ConnectError}). Subclasses say why: the peer
 * refused it, it timed out, or the host name could not be resolved. The message names the address
 * that was tried.
 *
 * <p>Not sealed: transports of later modules (TLS, endpoints) may add reasons.
 */
public class ConnectError extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message what failed, naming the address, e.g. "127.0.0.1:10002: connection refused"
   * @param cause the underlying exception, or null
   */
  public ConnectError(String message, Throwable cause) {
    super(message, cause);
  }
}
