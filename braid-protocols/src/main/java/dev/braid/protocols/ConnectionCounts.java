package dev.braid.protocols;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counts a {@link ConnectionLimiter} checks its limits against: its own (one reactor's thread),
 * or those of a {@link SharedConnectionLimit}, shared by the limiters of several reactors.
 */
abstract sealed class ConnectionCounts {
  /**
   * Counts one more connection from {@code peer} if both limits allow it.
   *
   * @return false, counting nothing, if either limit is reached
   */
  abstract boolean tryOpen(String peer, ConnectionLimits limits);

  /** A connection counted by {@link #tryOpen} from {@code peer} has closed. */
  abstract void closed(String peer);

  /** {@return how many connections are counted} */
  abstract int total();

  /** {@return how many connections from {@code peer} are counted} */
  abstract int of(String peer);

  /** One limiter's counts: its reactor's thread only. */
  static final class Local extends ConnectionCounts {
    private final Map<String, Integer> perPeer = new HashMap<>();
    private int total;

    @Override
    boolean tryOpen(String peer, ConnectionLimits limits) {
      if (total >= limits.total() || perPeer.getOrDefault(peer, 0) >= limits.perPeer()) {
        return false;
      }
      total++;
      perPeer.merge(peer, 1, Integer::sum);
      return true;
    }

    @Override
    void closed(String peer) {
      total--;
      perPeer.computeIfPresent(peer, (key, count) -> count == 1 ? null : count - 1);
    }

    @Override
    int total() {
      return total;
    }

    @Override
    int of(String peer) {
      return perPeer.getOrDefault(peer, 0);
    }
  }

  /** Counts shared by the limiters of several reactors: thread-safe, without a lock. */
  static final class Shared extends ConnectionCounts {
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perPeer = new ConcurrentHashMap<>();

    @Override
    boolean tryOpen(String peer, ConnectionLimits limits) {
      if (!increment(total, limits.total())) {
        return false;
      }
      if (limits.perPeer() == ConnectionLimits.UNLIMITED) {
        perPeer.computeIfAbsent(peer, key -> new AtomicInteger()).incrementAndGet();
        return true;
      }
      boolean[] allowed = {false};
      perPeer.compute(
          peer,
          (key, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            allowed[0] = c.get() < limits.perPeer();
            if (allowed[0]) {
              c.incrementAndGet();
            }
            return c;
          });
      if (!allowed[0]) {
        total.decrementAndGet();
      }
      return allowed[0];
    }

    private static boolean increment(AtomicInteger counter, int limit) {
      while (true) {
        int n = counter.get();
        if (n >= limit) {
          return false;
        }
        if (counter.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    @Override
    void closed(String peer) {
      total.decrementAndGet();
      perPeer.computeIfPresent(peer, (key, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    @Override
    int total() {
      return total.get();
    }

    @Override
    int of(String peer) {
      AtomicInteger count = perPeer.get(peer);
      return count == null ? 0 : count.get();
    }
  }
}
