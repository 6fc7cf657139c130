package dev.braid.net;

/**
 * The handler of one connection's events: Twisted's {@code IProtocol}.
 *
 * <p>The reactor calls {@link #makeConnection} once when the connection is established, then {@link
 * #dataReceived} for each chunk of bytes that arrives, then {@link #connectionLost} exactly once.
 * Most protocols extend {@link BaseProtocol}, which keeps the transport and offers Twisted's {@code
 * connectionMade} hook; the framing receivers of {@code braid-protocols} implement this interface
 * directly.
 *
 * <p>Threading: all calls arrive on the reactor thread. Errors: an exception thrown from any of
 * these methods is logged, naming the connection, and that connection is dropped; the reactor keeps
 * running.
 */
public interface Protocol {
  /**
   * The connection is established: keep {@code transport} to write and close with. Called once,
   * before any other method.
   *
   * @param transport this connection's transport
   */
  void makeConnection(Transport transport);

  /**
   * Bytes arrived. Chunks follow no message boundary: a message may be split across calls and one
   * call may hold several messages. The array belongs to the protocol from now on.
   *
   * @param data the bytes received, never empty
   */
  void dataReceived(byte[] data);

  /**
   * The connection is closed, for the reason given; called exactly once, after which the transport
   * must not be used.
   *
   * @param reason a clean close ({@link ConnectionDone}), or a reset or error ({@link
   *     ConnectionLost}, including a local {@link ConnectionAborted abort})
   */
  void connectionLost(ConnectionEnd reason);
}
