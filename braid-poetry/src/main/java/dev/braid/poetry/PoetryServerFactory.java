package dev.braid.poetry;

import dev.braid.defer.Clock;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Builds the protocol of a poetry server for each connection: Twisted's {@code PoetryFactory} of
 * the tutorial's servers. Each client receives the {@link PoetryService}'s poem, paced as the
 * service says, and then the server closes the connection (that close marks the end of the poem).
 *
 * <pre>{@code
 * PoetryService service = PoetryService.of(poem, Pacing.chunks(10, Duration.ofMillis(100)));
 * ListeningPort port = reactor.listenTCP(10000, PoetryServerFactory.create(service, reactor));
 * }</pre>
 *
 * <p>Threading: reactor thread only. It counts the connections it has served, for tests and the
 * demo's summary.
 */
public final class PoetryServerFactory implements Factory {
  private final PoetryService service;
  private final Clock clock;
  private long connections;

  private PoetryServerFactory(PoetryService service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  /**
   * Makes a factory for {@code service}.
   *
   * @param service the poem and its pacing
   * @param clock times the pieces of a slow server (the reactor, or a virtual clock in tests)
   * @return the factory
   */
  public static PoetryServerFactory create(PoetryService service, Clock clock) {
    return new PoetryServerFactory(
        Objects.requireNonNull(service, "service"), Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    connections++;
    return new PoetryServerProtocol(service, clock);
  }

  /**
   * {@return how many connections this factory has built a protocol for: the clients served or
   * being served}
   */
  public long connectionCount() {
    return connections;
  }

  /** {@return the service this factory serves} */
  public PoetryService service() {
    return service;
  }
}
