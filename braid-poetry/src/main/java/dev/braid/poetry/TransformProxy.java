package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.net.Addresses;
import dev.braid.net.ReactorTcp;
import java.util.Objects;

/**
 * Asks a transform server to transform poems (the tutorial's {@code TransformProxy}, Part 13): each
 * {@link #xform} opens one connection and returns the request's Deferred, so callers never see host
 * names or ports.
 *
 * <pre>{@code
 * TransformProxy proxy = TransformProxy.create(reactor, "127.0.0.1", 10001);
 * Deferred<String> lower = proxy.xform("cummingsify", poem);
 * }</pre>
 *
 * <p>Threading: reactor thread only.
 */
public final class TransformProxy implements Transformer {
  private final Dialer dialer;
  private final String host;
  private final int port;

  private TransformProxy(Dialer dialer, String host, int port) {
    this.dialer = dialer;
    this.host = host;
    this.port = port;
  }

  /**
   * Makes a proxy for the transform server at {@code host:port}.
   *
   * @param reactor connects
   * @param host the server's host name or address
   * @param port the server's port
   * @return the proxy
   */
  public static TransformProxy create(ReactorTcp reactor, String host, int port) {
    return create(Dialer.tcp(reactor), host, port);
  }

  /**
   * Makes a proxy for the transform server at {@code host:port}, reached through {@code dialer}
   * (plain TCP, or TLS).
   *
   * @param dialer connects
   * @param host the server's host name or address
   * @param port the server's port
   * @return the proxy
   */
  public static TransformProxy create(Dialer dialer, String host, int port) {
    return new TransformProxy(
        Objects.requireNonNull(dialer, "dialer"), Objects.requireNonNull(host, "host"), port);
  }

  /**
   * Sends one transform request.
   *
   * @param name the transform's name
   * @param poem the poem's text
   * @return a Deferred of the transformed poem; it fails with {@link TransformException} (no
   *     reply), a {@link dev.braid.net.ConnectError}, or {@link IllegalArgumentException} for a
   *     name containing {@code .}; cancelling it closes the connection
   */
  @Override
  public Deferred<String> xform(String name, String poem) {
    TransformClientFactory factory;
    try {
      factory = TransformClientFactory.create(name, poem);
    } catch (IllegalArgumentException e) {
      return Deferred.fail(e);
    }
    dialer.connect(host, port, factory);
    return factory.deferred();
  }

  @Override
  public String toString() {
    return "TransformProxy{" + Addresses.hostPort(host, port) + "}";
  }
}
