package dev.braid.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The I/O half of a {@link SelectorReactor}'s loop: how it waits for sockets to become ready and
 * how it opens them. The rest of the loop (timers, calls from other threads, shutdown, the
 * transports' producers and closing) is the same whatever the poller. Two exist: {@link NioPoller}
 * (the JDK's {@link java.nio.channels.Selector} and channels) and {@link EpollPoller} (Linux's
 * epoll and socket calls, through the foreign-function API).
 *
 * <p>Interest and readiness are written with {@link java.nio.channels.SelectionKey}'s bits ({@code
 * OP_READ}, {@code OP_WRITE}, {@code OP_ACCEPT}, {@code OP_CONNECT}) for both.
 *
 * <p>Threading: reactor thread only, except {@link #wakeup()}.
 */
interface Poller {
  /**
   * Waits for readiness and hands each ready socket's handler its ready operations.
   *
   * @param timeoutMillis 0 to poll, -1 to block until woken, otherwise the most milliseconds to
   *     wait
   * @param dispatcher told of each ready socket, on the calling thread
   * @throws IOException if waiting failed: the poller can serve nothing any more
   */
  void poll(long timeoutMillis, Dispatcher dispatcher) throws IOException;

  /** Makes a {@link #poll} in progress, or the next one, return at once. Any thread. */
  void wakeup();

  /**
   * Opens a non-blocking socket for a connection to {@code destination}.
   *
   * @param destination where it will connect (the socket's address family follows it)
   * @return the socket, not yet registered
   * @throws IOException if it cannot be opened
   */
  StreamSocket openStream(InetAddress destination) throws IOException;

  /**
   * Opens a non-blocking listening socket bound to {@code address}, with {@code SO_REUSEADDR}, and
   * with {@code SO_REUSEPORT} too when asked (a {@link ReactorGroup}'s reactors then bind one port
   * each and the kernel spreads connections among their sockets).
   *
   * @param address where to listen; a wildcard address listens on every interface
   * @param backlog the accept backlog
   * @param reusePort true to set {@code SO_REUSEPORT} before binding
   * @return the socket, listening
   * @throws IOException if it cannot be opened or bound
   */
  ListenSocket listen(InetSocketAddress address, int backlog, boolean reusePort) throws IOException;

  /**
   * Lets the sockets closed since the last poll go (the JDK defers the close of a registered
   * channel to its selector's next select). Never throws.
   */
  void releaseClosed();

  /** Closes every socket still registered, then the poller itself. Idempotent; never throws. */
  void close();

  /** {@return which backend this is} */
  IoBackend backend();

  /** What a poller tells of each ready socket. */
  @FunctionalInterface
  interface Dispatcher {
    /**
     * Handles readiness.
     *
     * @param handler the socket's handler
     * @param readyOps its ready operations ({@code SelectionKey.OP_*})
     */
    void dispatch(IoHandler handler, int readyOps);
  }
}
