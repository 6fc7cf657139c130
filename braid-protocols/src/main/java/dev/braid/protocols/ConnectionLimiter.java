package dev.braid.protocols;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A {@link Factory} that limits how many connections are open at once, in total and per peer host
 * (Twisted's {@code LimitTotalConnectionsFactory} and {@code LimitConnectionsByPeer}). Made by
 * {@link Policies#limitConnections}.
 *
 * <p>A connection counts from the moment its protocol is built until its {@code connectionLost}, so
 * the counts return to zero once every connection has closed. Over a limit, {@link #buildProtocol}
 * returns null and the reactor closes the new connection at once; or, {@link #withOverflow with an
 * overflow factory}, the connection gets that factory's protocol (one that writes "busy" and
 * closes, say), which is not counted. Peers are told apart by IP address (their host string when
 * unresolved), not port.
 *
 * <p>Threading: reactor thread only. Limiters made by a {@link SharedConnectionLimit} count
 * together, each on its own reactor's thread, so that the limits hold across a reactor group.
 */
public final class ConnectionLimiter implements Factory {
  private final Factory wrapped;
  private final ConnectionLimits limits;
  private final Factory overflow;
  private final ConnectionCounts counts;

  ConnectionLimiter(Factory wrapped, ConnectionLimits limits, Factory overflow) {
    this(wrapped, limits, overflow, new ConnectionCounts.Local());
  }

  ConnectionLimiter(
      Factory wrapped, ConnectionLimits limits, Factory overflow, ConnectionCounts counts) {
    this.wrapped = Objects.requireNonNull(wrapped, "wrapped");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.overflow = overflow;
    this.counts = counts;
  }

  /**
   * Returns a limiter with the same limits (and counts starting at zero, unless they are a {@link
   * SharedConnectionLimit}'s, which it goes on sharing) that hands connections over a limit to
   * {@code overflowFactory} instead of refusing them.
   *
   * @param overflowFactory builds the protocol of a connection over a limit; may itself return null
   * @return a new limiter
   */
  public ConnectionLimiter withOverflow(Factory overflowFactory) {
    return new ConnectionLimiter(
        wrapped,
        limits,
        Objects.requireNonNull(overflowFactory, "overflow"),
        counts instanceof ConnectionCounts.Shared ? counts : new ConnectionCounts.Local());
  }

  /**
   * Builds the wrapped factory's protocol if both limits allow one more connection from {@code
   * address}; otherwise the overflow factory's protocol, or null.
   */
  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    String peer = hostOf(address);
    if (!counts.tryOpen(peer, limits)) {
      return overflow == null ? null : overflow.buildProtocol(address);
    }
    Protocol protocol;
    try {
      protocol = wrapped.buildProtocol(address);
    } catch (RuntimeException | Error e) {
      counts.closed(peer);
      throw e;
    }
    if (protocol == null) {
      counts.closed(peer);
      return null;
    }
    return new ProtocolWrapper(
        protocol,
        new ProtocolWrapper.Policy() {
          @Override
          public void connectionLost(ProtocolWrapper connection, ConnectionEnd reason) {
            counts.closed(peer);
          }
        });
  }

  @Override
  public void startFactory() {
    wrapped.startFactory();
  }

  @Override
  public void stopFactory() {
    wrapped.stopFactory();
  }

  /** {@return the limits given to {@link Policies#limitConnections}} */
  public ConnectionLimits limits() {
    return limits;
  }

  /**
   * {@return how many counted connections are open (on every reactor sharing the counts, for a
   * {@link SharedConnectionLimit}'s limiter)}
   */
  public int connectionCount() {
    return counts.total();
  }

  /**
   * Returns how many counted connections are open from {@code peer}'s host.
   *
   * @param peer any address of the host; the port is ignored
   * @return the count for that host
   */
  public int connectionCount(InetSocketAddress peer) {
    return counts.of(hostOf(peer));
  }

  static String hostOf(InetSocketAddress address) {
    return address.getAddress() != null
        ? address.getAddress().getHostAddress()
        : address.getHostString();
  }

  @Override
  public String toString() {
    return "ConnectionLimiter{"
        + limits
        + ", open="
        + counts.total()
        + ", wrapped="
        + wrapped
        + "}";
  }
}
