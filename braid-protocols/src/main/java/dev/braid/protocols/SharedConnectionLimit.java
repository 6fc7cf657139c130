package dev.braid.protocols;

import dev.braid.net.Factory;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Connection limits that hold across several reactors: the limiters it makes, one per reactor,
 * count against the same totals, so that a server served by a reactor group accepts at most {@code
 * total} connections at once however the connections are spread. This is the second way to share
 * state across reactors (docs/design.md): a thread-safe structure, here two counters, that each
 * reactor's own limiter reads and updates on its own thread; nothing is handed between reactors.
 *
 * <pre>{@code
 * SharedConnectionLimit limit = SharedConnectionLimit.of(ConnectionLimits.total(500));
 * group.listenTCP(10000, reactor -> limit.limit(serverFactoryFor(reactor)));
 * }</pre>
 *
 * <p>Threading: thread-safe; each limiter it makes belongs to its reactor's thread, as any factory.
 */
public final class SharedConnectionLimit {
  private final ConnectionLimits limits;
  private final ConnectionCounts.Shared counts = new ConnectionCounts.Shared();

  private SharedConnectionLimit(ConnectionLimits limits) {
    this.limits = limits;
  }

  /**
   * Makes shared limits, with nothing counted yet.
   *
   * @param limits the limits, for all the limiters together
   * @return the shared limit
   */
  public static SharedConnectionLimit of(ConnectionLimits limits) {
    return new SharedConnectionLimit(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * Wraps one reactor's factory in a limiter that counts against these shared totals; otherwise a
   * limiter as {@link Policies#limitConnections} makes (its {@code withOverflow} keeps counting
   * here).
   *
   * @param factory the factory of one reactor
   * @return the limiting factory, for that reactor's thread
   */
  public ConnectionLimiter limit(Factory factory) {
    return new ConnectionLimiter(factory, limits, null, counts);
  }

  /** {@return the limits} */
  public ConnectionLimits limits() {
    return limits;
  }

  /** {@return how many connections are counted now, on every reactor together} Any thread. */
  public int connectionCount() {
    return counts.total();
  }

  /**
   * Returns how many connections from {@code peer}'s host are counted now, on every reactor
   * together. Any thread.
   *
   * @param peer any address of the host; the port is ignored
   * @return the count for that host
   */
  public int connectionCount(InetSocketAddress peer) {
    return counts.of(ConnectionLimiter.hostOf(peer));
  }

  @Override
  public String toString() {
    return "SharedConnectionLimit{" + limits + ", open=" + counts.total() + "}";
  }
}
