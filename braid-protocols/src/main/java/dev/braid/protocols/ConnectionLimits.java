package dev.braid.protocols;

/**
 * How many connections a server accepts at once, in total and from one peer host (Twisted's {@code
 * LimitTotalConnectionsFactory.connectionLimit} and {@code
 * LimitConnectionsByPeer.maxConnectionsPerPeer}). {@link Integer#MAX_VALUE} means no limit.
 *
 * <pre>{@code
 * ConnectionLimits.total(1000).withPerPeer(10)
 * }</pre>
 *
 * @param total the most connections at once; at least 1
 * @param perPeer the most connections at once from one peer host (IP address); at least 1
 */
public record ConnectionLimits(int total, int perPeer) {
  /** No limit. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  /**
   * Checks the limits.
   *
   * @param total at least 1
   * @param perPeer at least 1
   */
  public ConnectionLimits {
    if (total < 1) {
      throw new IllegalArgumentException("total limit must be at least 1: " + total);
    }
    if (perPeer < 1) {
      throw new IllegalArgumentException("per-peer limit must be at least 1: " + perPeer);
    }
  }

  /**
   * A limit on the total only.
   *
   * @param total the most connections at once
   * @return the limits
   */
  public static ConnectionLimits total(int total) {
    return new ConnectionLimits(total, UNLIMITED);
  }

  /**
   * A limit per peer only.
   *
   * @param perPeer the most connections at once from one host
   * @return the limits
   */
  public static ConnectionLimits perPeer(int perPeer) {
    return new ConnectionLimits(UNLIMITED, perPeer);
  }

  /**
   * Returns these limits with another per-peer limit.
   *
   * @param newPerPeer the most connections at once from one host
   * @return new limits
   */
  public ConnectionLimits withPerPeer(int newPerPeer) {
    return new ConnectionLimits(total, newPerPeer);
  }
}
