package dev.braid.poetry;

/**
 * The caching proxy shut down before the poem arrived: the failure of every request still waiting
 * when {@link ProxyService#shutDown()} is called, and of every request made afterwards. The proxy's
 * server resets those clients' connections, so they see a failure rather than an empty poem.
 */
public final class ProxyShutdownException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception, with the message "the proxy is shutting down". */
  public ProxyShutdownException() {
    super("the proxy is shutting down");
  }
}
