package dev.braid.poetry;

import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Builds the caching proxy's protocol for each client (the tutorial's {@code PoetryProxyFactory}):
 * clients speak the poetry protocol to the proxy as to any poetry server.
 *
 * <pre>{@code
 * ProxyService service = ProxyService.create(
 *     reactor, PoetryClient.upstream(reactor, "127.0.0.1", 10001), ProxyService.DEFAULT_TTL);
 * reactor.listenTCP(10000, PoetryProxyFactory.create(service));
 * }</pre>
 *
 * <p>Threading: reactor thread only.
 */
public final class PoetryProxyFactory implements Factory {
  private final ProxyService service;

  private PoetryProxyFactory(ProxyService service) {
    this.service = service;
  }

  /**
   * Makes a factory whose clients get their poem from {@code service}.
   *
   * @param service the proxy service
   * @return the factory
   */
  public static PoetryProxyFactory create(ProxyService service) {
    return new PoetryProxyFactory(Objects.requireNonNull(service, "service"));
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    return new PoetryProxyProtocol(service::getPoem);
  }

  /** {@return the proxy service behind this factory} */
  public ProxyService service() {
    return service;
  }
}
