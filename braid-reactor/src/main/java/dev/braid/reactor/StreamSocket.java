package dev.braid.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;

/**
 * A non-blocking TCP socket as a {@link TcpTransport} and a {@link TcpConnector} use it, over one
 * of the reactor's {@linkplain Poller pollers}: the JDK's {@link java.nio.channels.SocketChannel}
 * ({@link NioStreamSocket}) or a file descriptor of Linux's ({@link EpollStreamSocket}). Errors are
 * the JDK's exceptions with the JDK's messages (a reset is {@code "Connection reset"}, a refused
 * connection a {@link java.net.ConnectException} {@code "Connection refused"}), so that what a
 * protocol or a factory is told does not depend on the poller.
 *
 * <p>Threading: the reactor thread only. Ownership: the socket owns its descriptor; {@link
 * #close()} releases it exactly once, and every other method throws {@link
 * java.nio.channels.ClosedChannelException} afterwards.
 */
interface StreamSocket {
  /**
   * Registers with the poller that opened or accepted the socket, with no interest.
   *
   * @throws IOException if it cannot be registered
   */
  void register() throws IOException;

  /**
   * Names the handler told of this socket's readiness.
   *
   * @param handler the transport or the connection attempt
   */
  void attach(IoHandler handler);

  /**
   * Sets the operations to be told of ({@code SelectionKey.OP_*}); 0 for none. Does nothing once
   * closed.
   *
   * @param ops the interest set
   */
  void interestOps(int ops);

  /**
   * Reads what the socket holds into {@code dst}, from its position.
   *
   * @param dst a direct buffer
   * @return the number of bytes read, 0 if none is waiting, -1 at the end of the stream
   * @throws IOException if reading failed (a reset is {@code "Connection reset"})
   */
  int read(ByteBuffer dst) throws IOException;

  /**
   * Writes from {@code src}'s position what the socket takes now.
   *
   * @param src a direct buffer
   * @return the number of bytes written
   * @throws IOException if writing failed
   */
  int write(ByteBuffer src) throws IOException;

  /**
   * Writes {@code data[offset..offset+length)}, as much as the socket takes now.
   *
   * @param data the bytes
   * @param offset where they start
   * @param length how many
   * @param scratch the reactor's direct buffer, for a socket that must copy
   * @return the number of bytes written
   * @throws IOException if writing failed
   */
  int write(byte[] data, int offset, int length, ByteBuffer scratch) throws IOException;

  /**
   * Binds the local end before connecting.
   *
   * @param local the local address
   * @throws IOException if it cannot be bound
   */
  void bind(InetSocketAddress local) throws IOException;

  /**
   * Begins connecting.
   *
   * @param remote the address to connect to
   * @return true if connected at once; false if the connection is in progress ({@code OP_CONNECT}
   *     then tells when to call {@link #finishConnect()})
   * @throws IOException if the connection failed at once
   */
  boolean connect(InetSocketAddress remote) throws IOException;

  /**
   * Finishes a connection in progress.
   *
   * @return true if connected, false if still in progress
   * @throws IOException if the connection failed (refused, timed out, unreachable)
   */
  boolean finishConnect() throws IOException;

  /**
   * {@return this end's address}
   *
   * @throws IOException if it cannot be read
   */
  InetSocketAddress localAddress() throws IOException;

  /**
   * {@return the other end's address}
   *
   * @throws IOException if it cannot be read
   */
  InetSocketAddress remoteAddress() throws IOException;

  /**
   * Sets a socket option: {@code TCP_NODELAY}, {@code SO_KEEPALIVE} or {@code SO_LINGER}.
   *
   * @param <T> the option's type
   * @param option the option
   * @param value its value
   * @throws IOException if it cannot be set
   */
  <T> void setOption(SocketOption<T> option, T value) throws IOException;

  /**
   * Closes the socket and cancels its registration; a second call does nothing.
   *
   * @throws IOException if closing failed (the descriptor is released all the same)
   */
  void close() throws IOException;

  /** {@return false once {@link #close()} has been called} */
  boolean isOpen();

  /**
   * Releases a socket just accepted, and never registered, from its poller, so that another
   * reactor's poller can own its connection: this object is closed afterwards (its methods throw
   * {@link java.nio.channels.ClosedChannelException}; {@link #close()} does nothing), while the
   * connection stays open, owned by the answer.
   *
   * @return the connection, owned by no poller until {@link DetachedSocket#attachTo}
   * @throws IllegalStateException if the socket has been registered, or is closed
   */
  DetachedSocket detach();
}
