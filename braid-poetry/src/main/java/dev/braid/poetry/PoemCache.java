package dev.braid.poetry;

import dev.braid.defer.Deferred;

/**
 * The caching proxy's cache and single flight: hands each client the poem of one upstream server,
 * from the cache when it holds a fresh one, and otherwise from the one fetch in flight for it,
 * however many clients wait. {@link PoetryProxyFactory} serves one to the proxy's clients.
 *
 * <p>Two implementations: {@link ProxyService}, in the proxy's memory (the default, which needs
 * nothing installed), and {@code RedisPoemCache} in the {@code braid-poetry-redis} module, shared
 * by a fleet of proxies through Redis, so that the fleet fetches each poem once.
 *
 * <h2>What every implementation promises</h2>
 *
 * <ul>
 *   <li>Every Deferred returned by {@link #getPoem()} fires, with the whole poem as the upstream
 *       server sent it or with a failure; never with part of a poem, and never with a poem whose
 *       fetch failed. Cancelling it detaches that caller only.
 *   <li>A failed fetch, a poem cut by a reset and an empty poem are never cached.
 *   <li>After {@link #shutDown()}, the callers still waiting fail with {@link
 *       ProxyShutdownException} and every later {@link #getPoem()} fails at once with it.
 * </ul>
 *
 * <p>Ownership: every caller may receive the same array; it must not be changed. Threading: reactor
 * thread only, and every Deferred fires on the reactor thread.
 */
public interface PoemCache {
  /**
   * Returns the poem: at once from the cache, or when the fetch in flight (started now if there is
   * none) finishes.
   *
   * @return a Deferred of the poem's bytes, this caller's own; cancel it to stop waiting. It fails
   *     with the fetch's failure, or with {@link ProxyShutdownException} once the cache has shut
   *     down
   */
  Deferred<byte[]> getPoem();

  /**
   * Shuts the cache down, for a proxy that stops: every caller still waiting fails with {@link
   * ProxyShutdownException} (the proxy's server resets their connections), the fetch in flight is
   * abandoned, and every later {@link #getPoem()} fails at once. Idempotent.
   *
   * @return how many waiting callers were failed; 0 if called again
   */
  int shutDown();

  /** {@return true once {@link #shutDown()} has been called} */
  boolean isShutDown();
}
