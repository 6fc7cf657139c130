package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.defer.PendingDeferreds;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.function.LongConsumer;

/**
 * Downloads one poem: the tutorial's {@code PoetryClientFactory} after Part 13's exercise 3 ("you
 * make it, you fire it"). The factory makes its own {@link Deferred} and is the only one that fires
 * it: with the poem's bytes when the server closes the connection cleanly, or with a failure when
 * the connection attempt fails ({@link ConnectError}, whose message names the address) or the
 * connection is lost before a clean close ({@link dev.braid.net.ConnectionLost}).
 *
 * <pre>{@code
 * PoetryClientFactory factory = PoetryClientFactory.create();
 * reactor.connectTCP(host, port, factory);
 * Deferred<byte[]> poem = factory.deferred();
 * }</pre>
 *
 * <p>Cancelling the Deferred closes the connection at once (or stops the attempt) and fails it with
 * {@link dev.braid.defer.CancelledException}; so {@code deferred().addTimeout(timeout, clock)} is a
 * download timeout that also closes the connection (Part 8's exercise 1).
 *
 * <p>Limits: a poem longer than the factory's maximum ({@link #DEFAULT_MAX_POEM_BYTES} unless
 * given) fails with {@link PoemTooLargeException} as soon as its bytes pass the maximum, and the
 * connection is closed; so does a poem that does not fit in the heap (the exception's cause is the
 * {@link OutOfMemoryError}, and the bytes held so far are dropped).
 *
 * <p>One factory makes one connection. Threading: reactor thread only.
 */
public final class PoetryClientFactory implements ClientFactory {
  /** The longest poem a client accepts unless told otherwise: 64 MiB. */
  public static final long DEFAULT_MAX_POEM_BYTES = 64L << 20;

  /** The longest poem a client can accept: the largest Java array, about 2 GiB. */
  public static final long MAX_POEM_BYTES = Integer.MAX_VALUE - 8;

  private static final LongConsumer NO_PROGRESS = bytes -> {};

  private final Deferred<byte[]> result;
  private final LongConsumer progress;
  private final long maxPoemBytes;
  private Deferred<byte[]> deferred;
  private Connector connector;
  private PoetryProtocol protocol;

  private PoetryClientFactory(LongConsumer progress, long maxPoemBytes) {
    if (maxPoemBytes < 1 || maxPoemBytes > MAX_POEM_BYTES) {
      throw new IllegalArgumentException(
          "maxPoemBytes must be from 1 to " + MAX_POEM_BYTES + ": " + maxPoemBytes);
    }
    this.progress = progress == null ? NO_PROGRESS : progress;
    this.maxPoemBytes = maxPoemBytes;
    this.result = Deferred.create(self -> cancel());
    this.deferred = result;
  }

  /**
   * Makes a factory for one download.
   *
   * @return the factory
   */
  public static PoetryClientFactory create() {
    return new PoetryClientFactory(NO_PROGRESS, DEFAULT_MAX_POEM_BYTES);
  }

  /**
   * Makes a factory for one download that reports its progress.
   *
   * @param progress told the number of bytes received so far after each read, on the reactor
   *     thread; it must not throw
   * @return the factory
   */
  public static PoetryClientFactory create(LongConsumer progress) {
    return new PoetryClientFactory(progress, DEFAULT_MAX_POEM_BYTES);
  }

  /**
   * Makes a factory for one download that reports its progress and accepts poems of at most {@code
   * maxPoemBytes}.
   *
   * @param progress told the number of bytes received so far after each read, on the reactor
   *     thread; it must not throw; null for none
   * @param maxPoemBytes the longest poem accepted, from 1 to {@link #MAX_POEM_BYTES}
   * @return the factory
   * @throws IllegalArgumentException if {@code maxPoemBytes} is out of range
   */
  public static PoetryClientFactory create(LongConsumer progress, long maxPoemBytes) {
    return new PoetryClientFactory(progress, maxPoemBytes);
  }

  long maxPoemBytes() {
    return maxPoemBytes;
  }

  /**
   * {@return the Deferred of the poem, fired by this factory with its bytes (UTF-8 text as the
   * server sent it)}
   */
  public Deferred<byte[]> deferred() {
    return result;
  }

  @Override
  public void startedConnecting(Connector connector) {
    this.connector = connector;
    PendingDeferreds.noteWaitingOn(result, connector); // debug mode: for pending dumps
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    protocol = new PoetryProtocol(this, maxPoemBytes);
    return protocol;
  }

  @Override
  public void clientConnectionFailed(Connector connector, ConnectError reason) {
    fail(reason);
  }

  void progress(long bytesSoFar) {
    if (deferred != null) {
      progress.accept(bytesSoFar);
    }
  }

  void poemFinished(byte[] poem) {
    if (deferred != null) {
      Deferred<byte[]> d = deferred;
      deferred = null;
      release();
      d.callback(poem);
    }
  }

  void poemFailed(Exception reason) {
    fail(reason);
  }

  private void fail(Exception reason) {
    if (deferred != null) {
      Deferred<byte[]> d = deferred;
      deferred = null;
      release();
      d.errback(reason);
    }
  }

  /**
   * Once the Deferred has its outcome, lets go of the connection: the Deferred's canceller keeps
   * this factory reachable for as long as anyone holds the Deferred, and the protocol's buffer (up
   * to twice the poem) must not live that long.
   */
  private void release() {
    protocol = null;
    connector = null;
  }

  /** The Deferred's canceller: forget it (it fails with CancelledException), close the rest. */
  private void cancel() {
    deferred = null;
    PoetryProtocol p = protocol;
    Connector c = connector;
    release();
    if (p != null && p.isConnected()) {
      p.abort();
    } else if (c != null) {
      c.disconnect(); // still connecting, or connected below a protocol not told yet (TLS)
    }
  }
}
