package dev.braid.poetry;

import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Builds the caching proxy's protocol for each client (the tutorial's {@code PoetryProxyFactory}):
 * clients speak the poetry protocol to the proxy as to any poetry server, and get their poem from a
 * {@link PoemCache}: a {@link ProxyService} in the proxy's memory, or a cache a fleet of proxies
 * shares.
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
  private final PoemCache service;

  private PoetryProxyFactory(PoemCache service) {
    this.service = service;
  }

  /**
   * Makes a factory whose clients get their poem from {@code service}.
   *
   * @param service the proxy's cache, e.g. a {@link ProxyService}
   * @return the factory
   */
  public static PoetryProxyFactory create(PoemCache service) {
    return new PoetryProxyFactory(Objects.requireNonNull(service, "service"));
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    return new PoetryProxyProtocol(service::getPoem);
  }

  /** {@return the cache behind this factory} */
  public PoemCache service() {
    return service;
  }
}
