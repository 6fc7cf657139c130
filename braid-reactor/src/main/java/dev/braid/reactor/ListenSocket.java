package dev.braid.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A non-blocking listening TCP socket as a {@link TcpListeningPort} uses it: the JDK's {@link
 * java.nio.channels.ServerSocketChannel} ({@link NioListenSocket}) or a file descriptor of Linux's
 * ({@link EpollListenSocket}).
 *
 * <p>Threading: the reactor thread only. Ownership: as {@link StreamSocket}'s.
 */
interface ListenSocket {
  /**
   * Registers with the poller and names the handler told of pending connections.
   *
   * @param handler the port
   * @throws IOException if it cannot be registered
   */
  void register(IoHandler handler) throws IOException;

  /**
   * Asks to be told of pending connections ({@code SelectionKey.OP_ACCEPT}), or not (0). Does
   * nothing once closed.
   *
   * @param ops the interest set
   */
  void interestOps(int ops);

  /**
   * Accepts one pending connection.
   *
   * @return the connection, non-blocking and not yet registered, or null if none is pending
   * @throws IOException if accepting failed (out of file descriptors, typically)
   */
  StreamSocket accept() throws IOException;

  /**
   * {@return the address the socket is bound to}
   *
   * @throws IOException if it cannot be read
   */
  InetSocketAddress localAddress() throws IOException;

  /**
   * Closes the socket and cancels its registration; a second call does nothing.
   *
   * @throws IOException if closing failed (the descriptor is released all the same)
   */
  void close() throws IOException;
}
