package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.net.ReactorTcp;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * The poetry client's one-liners: the tutorial's {@code get_poetry(host, port)} returning a {@link
 * Deferred}.
 *
 * <pre>{@code
 * PoetryClient.getPoetry(reactor, "127.0.0.1", 10000)
 *     .addCallback(poem -> { System.out.println(poem); return null; })
 *     .addErrback(failure -> { System.err.println("Poem failed: " + failure.getErrorMessage()); return null; });
 * }</pre>
 *
 * <p>Errors: the Deferred fails with a {@link dev.braid.net.ConnectError} (refused, timed out, DNS)
 * naming the address, a {@link dev.braid.net.ConnectionLost} when the connection is reset before
 * the server closes it cleanly, or a {@link PoemTooLargeException} when the poem is longer than
 * {@link PoetryClientFactory#DEFAULT_MAX_POEM_BYTES} (or the limit given) or does not fit in the
 * heap. Cancelling it closes the connection. Threading: reactor thread only.
 */
public final class PoetryClient {
  private PoetryClient() {}

  /**
   * Downloads the poem served at {@code host:port} and decodes it as UTF-8 (malformed bytes become
   * U+FFFD).
   *
   * @param reactor connects
   * @param host the server's host name or address
   * @param port the server's port
   * @return a Deferred of the poem's text
   */
  public static Deferred<String> getPoetry(ReactorTcp reactor, String host, int port) {
    return fetch(reactor, host, port, null)
        .addCallback(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Downloads the poem served at {@code host:port} as bytes, exactly as the server sent them.
   *
   * @param reactor connects
   * @param host the server's host name or address
   * @param port the server's port
   * @param progress told the bytes received so far after each read; null for none
   * @return a Deferred of the poem's bytes
   */
  public static Deferred<byte[]> fetch(
      ReactorTcp reactor, String host, int port, LongConsumer progress) {
    return fetch(reactor, host, port, progress, PoetryClientFactory.DEFAULT_MAX_POEM_BYTES);
  }

  /**
   * Downloads the poem served at {@code host:port} as bytes, exactly as the server sent them, if it
   * is no longer than {@code maxPoemBytes}.
   *
   * @param reactor connects
   * @param host the server's host name or address
   * @param port the server's port
   * @param progress told the bytes received so far after each read; null for none
   * @param maxPoemBytes the longest poem accepted, from 1 to {@link
   *     PoetryClientFactory#MAX_POEM_BYTES}; a longer one fails with {@link PoemTooLargeException}
   * @return a Deferred of the poem's bytes
   * @throws IllegalArgumentException if {@code maxPoemBytes} is out of range
   */
  public static Deferred<byte[]> fetch(
      ReactorTcp reactor, String host, int port, LongConsumer progress, long maxPoemBytes) {
    return fetch(Dialer.tcp(reactor), host, port, progress, maxPoemBytes);
  }

  /**
   * Downloads the poem served at {@code host:port} through {@code dialer} (plain TCP, or TLS), as
   * bytes, if it is no longer than {@code maxPoemBytes}.
   *
   * @param dialer connects
   * @param host the server's host name or address
   * @param port the server's port
   * @param progress told the bytes received so far after each read; null for none
   * @param maxPoemBytes the longest poem accepted, from 1 to {@link
   *     PoetryClientFactory#MAX_POEM_BYTES}; a longer one fails with {@link PoemTooLargeException}
   * @return a Deferred of the poem's bytes; over TLS, a failed handshake fails it with a {@link
   *     dev.braid.tls.TlsConnectError}
   * @throws IllegalArgumentException if {@code maxPoemBytes} is out of range
   */
  public static Deferred<byte[]> fetch(
      Dialer dialer, String host, int port, LongConsumer progress, long maxPoemBytes) {
    Objects.requireNonNull(dialer, "dialer");
    Objects.requireNonNull(host, "host");
    PoetryClientFactory factory = PoetryClientFactory.create(progress, maxPoemBytes);
    dialer.connect(host, port, factory);
    return factory.deferred();
  }

  /**
   * Returns the upstream of a {@link ProxyService} that downloads from {@code host:port}, one new
   * connection per fetch.
   *
   * @param reactor connects
   * @param host the upstream server's host name or address
   * @param port the upstream server's port
   * @return the upstream
   */
  public static ProxyService.Upstream upstream(ReactorTcp reactor, String host, int port) {
    return upstream(Dialer.tcp(reactor), host, port);
  }

  /**
   * Returns the upstream of a {@link ProxyService} that downloads from {@code host:port} through
   * {@code dialer} (plain TCP, or TLS), one new connection per fetch.
   *
   * @param dialer connects
   * @param host the upstream server's host name or address
   * @param port the upstream server's port
   * @return the upstream
   */
  public static ProxyService.Upstream upstream(Dialer dialer, String host, int port) {
    Objects.requireNonNull(dialer, "dialer");
    Objects.requireNonNull(host, "host");
    return () -> fetch(dialer, host, port, null, PoetryClientFactory.DEFAULT_MAX_POEM_BYTES);
  }
}
