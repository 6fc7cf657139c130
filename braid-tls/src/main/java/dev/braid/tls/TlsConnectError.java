package dev.braid.tls;

import dev.braid.net.ConnectError;

/**
 * A TLS client's connection attempt failed in the handshake: the TCP connection was made, but the
 * server's certificate was not trusted, was for another host, no TLS version was common, the
 * handshake timed out... It is a {@link ConnectError}, so code that handles failed connections
 * handles it too; {@link #kind()} and the {@link TlsException} cause say what went wrong.
 */
public final class TlsConnectError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error from the failure.
   *
   * @param failure what went wrong; its message becomes this one's
   */
  public TlsConnectError(TlsException failure) {
    super(failure.getMessage(), failure);
  }

  /** {@return what went wrong} */
  public TlsException.Kind kind() {
    return ((TlsException) getCause()).kind();
  }
}
