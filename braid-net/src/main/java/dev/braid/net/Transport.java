package dev.braid.net;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * One connection as its protocol sees it: Twisted's {@code ITransport} with {@code ITCPTransport},
 * {@code IConsumer} and {@code IPushProducer}.
 *
 * <h2>Writing</h2>
 *
 * {@link #write} never blocks: bytes the socket cannot take at once are buffered and sent as it
 * drains. To bound that buffer when writing a lot, register a {@link Producer}: a push producer is
 * paused above the high-water mark (64 KiB by default) and resumed below the low-water mark; a pull
 * producer is asked for more each time the buffer drains.
 *
 * <h2>Closing</h2>
 *
 * {@link #loseConnection()} closes cleanly after everything written so far has been sent (and after
 * a registered producer has been unregistered); {@link #abortConnection()} closes at once,
 * discarding the buffer, with a reset. Either way the protocol's {@link Protocol#connectionLost}
 * follows exactly once.
 *
 * <h2>Reading</h2>
 *
 * The transport is a {@link PushProducer} of what it reads: {@link #pauseProducing()} stops reading
 * from the socket (so the peer's writes back up), {@link #resumeProducing()} starts again.
 *
 * <p>Threading: reactor thread only. Ownership: arrays passed to {@code write} must not be changed
 * afterwards; the transport may keep them until sent.
 */
public interface Transport extends PushProducer {
  /**
   * Sends bytes, in order, buffering what cannot be sent now. Ignored once the connection is closed
   * or an abort has begun; still accepted after {@link #loseConnection()} until the connection has
   * actually closed (Twisted does the same).
   *
   * @param data the bytes; not copied, so do not change the array afterwards
   */
  void write(byte[] data);

  /**
   * Sends several arrays as if written one after another.
   *
   * @param data the arrays, in order
   */
  void writeSequence(List<byte[]> data);

  /**
   * Closes the connection once everything written has been sent and any producer has been
   * unregistered; stops reading at once. Idempotent. {@link Protocol#connectionLost} (with {@link
   * ConnectionDone}) is called later from the event loop, never from inside this call.
   */
  void loseConnection();

  /**
   * Closes the connection now, discarding unsent data, with a reset (TCP RST) where the transport
   * has one. The protocol then sees {@link ConnectionAborted}, from the event loop, never from
   * inside this call. Idempotent.
   */
  void abortConnection();

  /**
   * {@return true once {@link #loseConnection()} or {@link #abortConnection()} has been called
   * (Twisted's {@code disconnecting})}
   */
  boolean isDisconnecting();

  /** {@return the address and port of the other end} */
  InetSocketAddress getPeer();

  /** {@return this end's address and port} */
  InetSocketAddress getHost();

  /**
   * Registers a producer of the data to write; see the class comment. One at a time. As in Twisted,
   * a {@link PullProducer} is asked for its first piece at once, and a producer registered on a
   * closed connection is told to {@link Producer#stopProducing() stop} at once. When the connection
   * closes, the registered producer's {@code stopProducing} is called before the protocol's {@code
   * connectionLost}.
   *
   * @param producer a {@link PushProducer} or a {@link PullProducer}
   * @throws IllegalStateException if a producer is already registered
   */
  void registerProducer(Producer producer);

  /** Removes the registered producer, if any; a pending {@link #loseConnection()} then proceeds. */
  void unregisterProducer();

  /**
   * Turns Nagle's algorithm off ({@code true}) or on. Transports without TCP ignore it.
   *
   * @param noDelay true to send small writes at once
   */
  void setTcpNoDelay(boolean noDelay);

  /**
   * Turns TCP keep-alive probes on or off. Transports without TCP ignore it.
   *
   * @param keepAlive true to probe idle connections
   */
  void setTcpKeepAlive(boolean keepAlive);
}
