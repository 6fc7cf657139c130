package dev.braid.poetry;

import dev.braid.net.Reactor;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Opens a {@link PoemCache} shared by a fleet of proxies, named by a URL: the {@code poetry proxy}
 * command's {@code --cache URL}. Providers are found with {@link ServiceLoader}, so the command
 * needs no compile-time knowledge of them (and none of their dependencies): {@code
 * braid-poetry-redis} provides {@code redis://} and {@code rediss://}.
 *
 * <p>Threading: {@link #check} and {@link #find} on any thread; {@link #open} on the reactor's
 * thread, or before the reactor runs.
 */
public interface PoemCacheProvider {
  /** {@return the URL schemes this provider opens, in lower case, e.g. {@code redis}} */
  Set<String> schemes();

  /**
   * Checks a URL without connecting anywhere: what the command line reports as a usage error.
   *
   * @param url the URL, with one of {@link #schemes()}
   * @param environment the environment variables (for a password kept out of the URL)
   * @throws IllegalArgumentException if the URL is not one this provider can open; the message is
   *     one line in plain words
   */
  void check(String url, Map<String, String> environment);

  /**
   * Opens the cache: returns at once, connecting in the background; a cache that cannot reach its
   * store serves as the in-process one does until it can. The provider releases what it holds
   * (connections, threads) when the reactor shuts down.
   *
   * @param url the URL, already {@linkplain #check checked}
   * @param settings the proxy's settings
   * @return the cache
   * @throws IllegalArgumentException if the URL is not one this provider can open
   */
  PoemCache open(String url, Settings settings);

  /**
   * What a proxy tells the cache it opens.
   *
   * @param reactor the proxy's reactor: every Deferred of the cache fires on its thread
   * @param upstream fetches the poem from the upstream server
   * @param upstreamName the upstream server's address, {@code HOST:PORT}: the fleet's caches of
   *     different upstream servers are kept apart by it
   * @param ttl how long a poem stays cached; positive
   * @param waitLimit the longest a client waits for its poem, whatever the shared store does (the
   *     proxy's upstream timeout); positive
   * @param maxCachedSize the largest poem shared with the fleet, in bytes; a larger one is served
   *     but not shared
   * @param environment the environment variables (for a password kept out of the URL)
   */
  record Settings(
      Reactor reactor,
      ProxyService.Upstream upstream,
      String upstreamName,
      Duration ttl,
      Duration waitLimit,
      long maxCachedSize,
      Map<String, String> environment) {
    /** Checks the settings: nothing null, durations and size positive. */
    public Settings {
      Objects.requireNonNull(reactor, "reactor");
      Objects.requireNonNull(upstream, "upstream");
      Objects.requireNonNull(upstreamName, "upstreamName");
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(waitLimit, "waitLimit");
      environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      if (ttl.isZero() || ttl.isNegative()) {
        throw new IllegalArgumentException("ttl must be positive: " + ttl);
      }
      if (waitLimit.isZero() || waitLimit.isNegative()) {
        throw new IllegalArgumentException("waitLimit must be positive: " + waitLimit);
      }
      if (maxCachedSize < 1) {
        throw new IllegalArgumentException("maxCachedSize must be positive: " + maxCachedSize);
      }
    }
  }

  /**
   * Finds the provider of a URL's scheme among those installed.
   *
   * @param url a URL, e.g. {@code redis://127.0.0.1:6379}
   * @return the provider, or empty if none opens that scheme (or the URL has none)
   */
  static Optional<PoemCacheProvider> find(String url) {
    int colon = url.indexOf("://");
    if (colon <= 0) {
      return Optional.empty();
    }
    String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
    for (PoemCacheProvider p : ServiceLoader.load(PoemCacheProvider.class)) {
      if (p.schemes().contains(scheme)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
