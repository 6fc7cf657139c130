package dev.braid.tls;

import java.io.IOException;
import java.util.Objects;

/**
 * Why TLS failed on one connection, with the peer named: the cause of the {@link
 * dev.braid.net.ConnectionLost} a protocol is told, and of the {@link TlsConnectError} a client's
 * connection attempt fails with.
 *
 * <p>The message reads "TLS handshake with PEER failed: REASON (the JDK's detail)", e.g. {@code TLS
 * handshake with localhost (127.0.0.1:4433) failed: the server's certificate is not trusted (PKIX
 * path building failed: ...)}. {@link #kind()} says what went wrong, for code.
 */
public final class TlsException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The peer's certificate does not chain to a trusted root (or is self-signed). */
    UNTRUSTED_CERTIFICATE("certificate is not trusted"),
    /** The peer's certificate has expired or is not valid yet. */
    EXPIRED_CERTIFICATE("certificate has expired or is not yet valid"),
    /** The server's certificate is valid, but for other host names. */
    HOST_NAME_MISMATCH("certificate does not match the host name"),
    /** The peer rejected this end's certificate (an alert such as {@code bad_certificate}). */
    CERTIFICATE_REJECTED("peer rejected this end's certificate"),
    /** The server requires a client certificate and none was sent. */
    CLIENT_CERTIFICATE_REQUIRED("server requires a client certificate"),
    /** The two ends have no TLS version in common. */
    PROTOCOL_VERSION("no TLS version in common"),
    /** The two ends have no application protocol (ALPN) in common. */
    NO_APPLICATION_PROTOCOL("no application protocol (ALPN) in common"),
    /** The handshake did not finish within the deadline. */
    HANDSHAKE_TIMEOUT("handshake timed out"),
    /** The peer closed or reset the connection before the handshake finished. */
    CLOSED_DURING_HANDSHAKE("connection closed during the handshake"),
    /** The peer does not speak TLS: its first bytes are not a TLS record (plain HTTP, say). */
    NOT_TLS("peer does not speak TLS"),
    /** A peer tried to renegotiate a TLS 1.2 session; Braid refuses renegotiation. */
    RENEGOTIATION_REFUSED("renegotiation refused"),
    /** The connection ended without the peer's {@code close_notify}: data may be missing. */
    TRUNCATED("connection closed without close_notify; the data may be truncated"),
    /** Any other handshake failure (no cipher suite in common, a bad handshake message...). */
    HANDSHAKE_FAILED("handshake failed"),
    /** A malformed, forged or unexpected record after the handshake. */
    PROTOCOL_ERROR("TLS protocol error");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    /** {@return a short description in plain words, e.g. "certificate is not trusted"} */
    public String description() {
      return description;
    }
  }

  private final Kind kind;
  private final String peer;

  /**
   * Creates the exception.
   *
   * @param kind what went wrong
   * @param peer the peer, as it should be named in messages, e.g. "localhost (127.0.0.1:4433)"
   * @param message the whole message
   * @param cause the JDK's exception, or null
   */
  public TlsException(Kind kind, String peer, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.peer = Objects.requireNonNull(peer, "peer");
  }

  /** {@return what went wrong} */
  public Kind kind() {
    return kind;
  }

  /** {@return the peer as named in the message} */
  public String peer() {
    return peer;
  }
}
