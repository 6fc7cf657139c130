package dev.braid.reactor;

import dev.braid.net.Factory;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Twisted's {@code doStart}/{@code doStop} counting: {@link Factory#startFactory()} runs when the
 * first port or connector starts using a factory, {@link Factory#stopFactory()} when the last one
 * stops. The count belongs to the factory, as Twisted keeps it on the factory object, so it is
 * shared by every reactor of the JVM; an entry exists only while the count is positive.
 *
 * <p>Threading: thread-safe; the hooks run on the calling (reactor) thread.
 */
final class FactoryStarts {
  private static final Map<Factory, Integer> USERS = new IdentityHashMap<>();

  private FactoryStarts() {}

  /**
   * One more user; runs {@code startFactory} if it is the first. If {@code startFactory} throws,
   * the user is not counted (Twisted counts it only after {@code startFactory} returned), so that
   * the next user starts the factory again.
   */
  static void doStart(Factory factory) {
    boolean first;
    synchronized (USERS) {
      int n = USERS.getOrDefault(factory, 0);
      USERS.put(factory, n + 1);
      first = n == 0;
    }
    if (first) {
      try {
        factory.startFactory();
      } catch (Throwable t) {
        forget(factory);
        throw t;
      }
    }
  }

  /** One user fewer, without running {@code stopFactory}. */
  private static void forget(Factory factory) {
    synchronized (USERS) {
      Integer n = USERS.get(factory);
      if (n == null || n == 1) {
        USERS.remove(factory);
      } else {
        USERS.put(factory, n - 1);
      }
    }
  }

  /** One user fewer; runs {@code stopFactory} if it was the last. */
  static void doStop(Factory factory) {
    boolean last;
    synchronized (USERS) {
      Integer n = USERS.get(factory);
      if (n == null) {
        return;
      }
      last = n == 1;
      if (last) {
        USERS.remove(factory);
      } else {
        USERS.put(factory, n - 1);
      }
    }
    if (last) {
      factory.stopFactory();
    }
  }

  /** How many ports and connectors use {@code factory} now. */
  static int users(Factory factory) {
    synchronized (USERS) {
      return USERS.getOrDefault(factory, 0);
    }
  }
}
