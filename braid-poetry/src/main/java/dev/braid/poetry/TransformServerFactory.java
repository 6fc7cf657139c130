package dev.braid.poetry;

import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Builds the protocol of a transform server for each connection (the tutorial's {@code
 * TransformFactory}). The protocol speaks netstrings: a request {@code NAME.POEM} (UTF-8), one
 * reply with the transformed poem, then the server closes; any error closes without a reply.
 *
 * <pre>{@code
 * reactor.listenTCP(10001, TransformServerFactory.create(TransformService.standard()));
 * }</pre>
 *
 * <p>Requests are limited to the netstring maximum, 99,999 bytes (Twisted's default). Threading:
 * reactor thread only.
 */
public final class TransformServerFactory implements Factory {
  private final Transformer transformer;
  private long connections;

  private TransformServerFactory(Transformer transformer) {
    this.transformer = transformer;
  }

  /**
   * Makes a factory whose connections ask {@code transformer}.
   *
   * @param transformer a local {@link TransformService}, or a {@link TransformProxy} to forward to
   *     another server
   * @return the factory
   */
  public static TransformServerFactory create(Transformer transformer) {
    return new TransformServerFactory(Objects.requireNonNull(transformer, "transformer"));
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    connections++;
    return new TransformServerProtocol(transformer);
  }

  /**
   * Returns how many connections this factory has built a protocol for.
   *
   * @return the number of requests received or being received
   */
  public long connectionCount() {
    return connections;
  }
}
