package dev.braid.net;

/** The host name could not be resolved to an address (Twisted's {@code DNSLookupError}). */
public class DnsLookupError extends ConnectError {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the error.
   *
   * @param message naming the host, e.g. "no-such-host.invalid: DNS lookup failed"
   * @param cause the underlying exception, or null
   */
  public DnsLookupError(String message, Throwable cause) {
    super(message, cause);
  }
}
