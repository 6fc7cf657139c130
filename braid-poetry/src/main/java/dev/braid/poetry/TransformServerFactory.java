package dev.braid.poetry;

import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.protocols.NetstringFramer;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the protocol of a transform server for each connection (the tutorial's {@code
 * TransformFactory}). The protocol speaks netstrings: a request {@code NAME.POEM} (UTF-8), one
 * reply with the transformed poem, then the server closes; any error closes without a reply.
 *
 * <pre>{@code
 * reactor.listenTCP(10001, TransformServerFactory.create(TransformService.standard()));
 * }</pre>
 *
 * <p>Limits: a request ({@code NAME.POEM}) is at most {@value #MAX_REQUEST_BYTES} bytes, the
 * netstring maximum (Twisted's default); a longer one is refused, as is one that is not UTF-8 text
 * (transforms work on text and never alter bytes they cannot read). Every refusal closes the
 * connection without a reply and is logged at INFO with the peer and the reason, at most one line
 * every {@value LogLimiter#DEFAULT_INTERVAL_SECONDS} seconds per factory ({@link LogLimiter}), or
 * per limiter shared by the factories of a reactor group.
 *
 * <p>Threading: reactor thread only.
 */
public final class TransformServerFactory implements Factory {
  /**
   * The largest request the transform protocol carries, name, {@code .} and poem in UTF-8: 99,999
   * bytes. Replies are held to the same limit by {@link TransformClientFactory}.
   */
  public static final int MAX_REQUEST_BYTES = NetstringFramer.DEFAULT_MAX_LENGTH;

  private static final Logger LOG = LoggerFactory.getLogger(TransformServerFactory.class);

  private final Transformer transformer;
  private final LogLimiter rejections;
  private long connections;

  private TransformServerFactory(Transformer transformer, LogLimiter rejections) {
    this.transformer = transformer;
    this.rejections = rejections;
  }

  /**
   * Makes a factory whose connections ask {@code transformer}.
   *
   * @param transformer a local {@link TransformService}, or a {@link TransformProxy} to forward to
   *     another server
   * @return the factory
   */
  public static TransformServerFactory create(Transformer transformer) {
    return create(transformer, rejectionLog());
  }

  /**
   * {@return a limiter for the refusals, as {@link #create(Transformer)} makes one: INFO through
   * this class's logger, at most one line every {@value LogLimiter#DEFAULT_INTERVAL_SECONDS}
   * seconds} Give one to the factories of every reactor of a group.
   */
  public static LogLimiter rejectionLog() {
    return LogLimiter.create(LOG::info);
  }

  /**
   * Makes a factory that logs its refusals through {@code rejections}: factories of several
   * reactors given one limiter (it is thread-safe) log one line per interval between them.
   *
   * @param transformer a local {@link TransformService}, or a {@link TransformProxy}
   * @param rejections logs the refusals, e.g. {@code LogLimiter.create(LOG::info)}
   * @return the factory
   */
  public static TransformServerFactory create(Transformer transformer, LogLimiter rejections) {
    return new TransformServerFactory(
        Objects.requireNonNull(transformer, "transformer"),
        Objects.requireNonNull(rejections, "rejections"));
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    connections++;
    return new TransformServerProtocol(transformer, rejections);
  }

  /**
   * {@return how many connections this factory has built a protocol for: the requests received or
   * being received}
   */
  public long connectionCount() {
    return connections;
  }
}
