package dev.braid.poetry;

import dev.braid.defer.Callback;
import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.defer.PendingDeferreds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caching proxy's service (the tutorial's {@code ProxyService}, Part 14, with the exercises
 * done): {@link #getPoem()} returns a Deferred of the poem of one upstream server, already fired
 * when the poem is cached. The {@link PoemCache} in the proxy's memory, which needs nothing
 * installed; a fleet of proxies shares one on Redis instead ({@code braid-poetry-redis}).
 *
 * <h2>States</h2>
 *
 * <ul>
 *   <li><b>Cached</b>: a poem fetched less than the TTL ago (default {@linkplain #DEFAULT_TTL 2
 *       hours}). {@code getPoem()} returns {@link Deferred#succeed}.
 *   <li><b>In flight</b>: a fetch has started and not finished. {@code getPoem()} joins it: each
 *       caller is a <em>waiter</em> with a Deferred of its own, however many arrive, and there is
 *       one upstream fetch for all of them (single flight, exercise 3).
 *   <li><b>Empty</b>: nothing cached (or the cached poem is too old): {@code getPoem()} starts a
 *       fetch and becomes its first waiter.
 * </ul>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>When the fetch succeeds, every waiter is fired with the poem and the poem is cached. An
 *       empty poem is handed to the waiters but not cached.
 *   <li>When it fails, every waiter is failed with the fetch's exception, nothing is cached, and
 *       the next {@code getPoem()} starts a new fetch.
 *   <li>Cancelling a waiter's Deferred detaches that waiter only. When the last waiter leaves, the
 *       flight is forgotten at that moment and the upstream fetch is cancelled; the next {@code
 *       getPoem()} starts a new one.
 *   <li>Whatever the {@link Upstream} does, every waiter gets the poem or a failure: a {@code
 *       fetch()} that throws fails the waiters with its exception; one that returns null, or a
 *       Deferred that fires with null or with something other than bytes (a Deferred handed out
 *       twice, say), fails them with an {@link IllegalStateException} saying so. Nothing is cached
 *       then. A fetch that never fires holds its waiters until they leave: bound it with {@link
 *       Upstream#withTimeout}.
 *   <li>{@link #shutDown()} fails every waiter with {@link ProxyShutdownException}, cancels the
 *       fetch, and from then on {@code getPoem()} fails at once.
 * </ul>
 *
 * The TTL is checked when a poem is asked for, so the service schedules no timers.
 *
 * <p>Ownership: every caller receives the same cached array; it must not be changed. Threading:
 * reactor thread only.
 */
public final class ProxyService implements PoemCache {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyService.class);

  /** How long a poem stays cached unless told otherwise: 2 hours (Part 14's exercise 2). */
  public static final Duration DEFAULT_TTL = Duration.ofHours(2);

  /** Where the proxy gets its poem: one call, one fetch. */
  @FunctionalInterface
  public interface Upstream {
    /**
     * Starts fetching the poem.
     *
     * @return a Deferred of the poem's bytes; cancelling it must abandon the fetch
     */
    Deferred<byte[]> fetch();

    /**
     * Returns this upstream with every fetch bounded in time: a fetch not finished {@code timeout}
     * after it started is cancelled (closing its connection) and fails with {@link
     * dev.braid.defer.DeferredTimeoutException}, which fails its waiters like any failed fetch. The
     * proxy's {@code --upstream-timeout}.
     *
     * @param timeout the longest a fetch may take; positive
     * @param clock times it (the reactor, or a virtual clock in tests)
     * @return the bounded upstream
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    default Upstream withTimeout(Duration timeout, Clock clock) {
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(clock, "clock");
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("upstream timeout must be positive: " + timeout);
      }
      return () -> {
        Deferred<byte[]> fetch = fetch();
        if (fetch == null) {
          throw new IllegalStateException(NULL_DEFERRED);
        }
        return fetch.addTimeout(timeout, clock);
      };
    }
  }

  private static final String NULL_DEFERRED =
      "the upstream's fetch() returned null instead of a Deferred";

  /**
   * Starts {@code upstream}'s fetch for a cache, whatever the upstream does: a {@code fetch()} that
   * throws or returns null, and a fetch that fires with anything but the poem's bytes (a raw or
   * unchecked upstream may), become a failure saying so. Reactor thread only.
   *
   * @param upstream the upstream to fetch from
   * @return the fetch (cancelling it cancels the upstream's), firing with the poem's bytes or a
   *     failure; never null
   */
  public static Deferred<byte[]> startFetch(Upstream upstream) {
    Deferred<byte[]> d;
    try {
      d = upstream.fetch();
    } catch (Throwable t) {
      return Deferred.fail(t);
    }
    if (d == null) {
      return Deferred.fail(new IllegalStateException(NULL_DEFERRED));
    }
    Callback<Object, byte[]> poemBytes =
        value -> {
          if (value instanceof byte[] bytes) {
            return bytes;
          }
          throw new IllegalStateException(
              "the upstream's fetch fired with "
                  + (value == null ? "null" : "a " + value.getClass().getName())
                  + " instead of the poem's bytes");
        };
    return d.addCallback(poemBytes);
  }

  private final Clock clock;
  private final Upstream upstream;
  private final Duration ttl;
  private final double ttlSeconds;
  private byte[] cached;
  private double cachedAt;
  private Flight flight;
  private long fetches;
  private long hits;
  private boolean shutDown;

  private ProxyService(Clock clock, Upstream upstream, Duration ttl) {
    this.clock = clock;
    this.upstream = upstream;
    this.ttl = ttl;
    this.ttlSeconds = Clock.toSeconds(ttl);
  }

  /**
   * Makes a proxy service.
   *
   * @param clock tells the age of the cached poem (the reactor, or a virtual clock in tests)
   * @param upstream fetches the poem, e.g. {@link PoetryClient#upstream}
   * @param ttl how long a poem stays cached; zero for no caching (every client that arrives when no
   *     fetch is in flight starts one; those that arrive during a fetch still share it)
   * @return the service, with nothing cached
   * @throws IllegalArgumentException if {@code ttl} is negative
   */
  public static ProxyService create(Clock clock, Upstream upstream, Duration ttl) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative: " + ttl);
    }
    return new ProxyService(clock, upstream, ttl);
  }

  /**
   * Returns the poem: at once from the cache, or when the fetch in flight (started now if there is
   * none) finishes.
   *
   * @return a Deferred of the poem's bytes, this caller's own; cancel it to stop waiting. It fails
   *     with the fetch's failure, an {@link IllegalStateException} if the upstream misbehaved, or
   *     {@link ProxyShutdownException} once the service has shut down
   */
  @Override
  public Deferred<byte[]> getPoem() {
    if (shutDown) {
      return Deferred.fail(new ProxyShutdownException());
    }
    if (cached != null) {
      if (clock.seconds() - cachedAt < ttlSeconds) {
        hits++;
        LOG.info("Using cached poem.");
        return Deferred.succeed(cached);
      }
      if (!ttl.isZero()) {
        LOG.info("The cached poem is older than {}; discarding it.", Clock.describe(ttl));
      }
      cached = null;
    }
    if (flight != null) {
      return flight.join();
    }
    Flight f = new Flight();
    flight = f;
    Deferred<byte[]> first = f.join();
    f.start();
    return first;
  }

  /**
   * Shuts the service down, for a proxy that stops: every waiter fails with {@link
   * ProxyShutdownException} (the proxy's server resets their connections), the fetch in flight is
   * cancelled, and every later {@link #getPoem()} fails at once. Logged, saying how many waiters
   * were failed. Idempotent.
   *
   * @return how many waiters were failed; 0 if called again
   */
  @Override
  public int shutDown() {
    if (shutDown) {
      return 0;
    }
    shutDown = true;
    Flight f = flight;
    flight = null;
    if (f == null) {
      LOG.info("Shutting down; no client is waiting on the upstream server.");
      return 0;
    }
    List<Deferred<byte[]>> toFail = new ArrayList<>(f.waiters);
    f.waiters.clear();
    LOG.info(
        "Shutting down: resetting the {} waiting for the poem and cancelling the fetch from the"
            + " upstream server.",
        toFail.size() == 1 ? "client" : toFail.size() + " clients");
    if (f.fetch != null) {
      cancelQuietly(f.fetch);
    }
    for (Deferred<byte[]> w : toFail) {
      if (!w.isCalled()) {
        w.errback(new ProxyShutdownException());
      }
    }
    return toFail.size();
  }

  /** {@return true once {@link #shutDown()} has been called} */
  @Override
  public boolean isShutDown() {
    return shutDown;
  }

  /**
   * {@return true if a poem is cached and still fresh: {@link #getPoem()} would answer from the
   * cache now}
   */
  public boolean isCached() {
    return cached != null && clock.seconds() - cachedAt < ttlSeconds;
  }

  /** {@return true while a fetch is in flight: waiters wait on an upstream fetch} */
  public boolean isFetching() {
    return flight != null;
  }

  /** {@return how many callers are waiting on the fetch in flight, 0 when nothing is in flight} */
  public int waiterCount() {
    return flight == null ? 0 : flight.waiters.size();
  }

  /** {@return how many upstream fetches this service has started} */
  public long fetchCount() {
    return fetches;
  }

  /** {@return how many requests were answered from the cache} */
  public long cacheHitCount() {
    return hits;
  }

  /** {@return the TTL: how long a poem stays cached} */
  public Duration ttl() {
    return ttl;
  }

  /** One upstream fetch and the callers waiting on it. */
  private final class Flight {
    final Set<Deferred<byte[]>> waiters = new LinkedHashSet<>();
    Deferred<byte[]> fetch;

    Deferred<byte[]> join() {
      Deferred<byte[]>[] self = newArray();
      Deferred<byte[]> waiter = Deferred.create(d -> leave(self[0]));
      self[0] = waiter;
      waiters.add(waiter);
      if (fetch != null) {
        PendingDeferreds.noteWaitingOn(waiter, fetch); // debug mode: for pending dumps
      }
      return waiter;
    }

    void start() {
      fetches++;
      LOG.info("Fetching poem from server.");
      Deferred<byte[]> d = startFetch(upstream);
      fetch = d;
      for (Deferred<byte[]> waiter : waiters) {
        PendingDeferreds.noteWaitingOn(waiter, d); // debug mode: for pending dumps
      }
      d.addBoth(
          outcome -> {
            finished(outcome);
            return null;
          });
      if (flight != this && !d.isCalled()) {
        cancelQuietly(d); // every waiter left while fetch() ran
      }
    }

    private void leave(Deferred<byte[]> waiter) {
      waiters.remove(waiter);
      if (waiters.isEmpty() && flight == this) {
        flight = null;
        LOG.info("Every client left; cancelling the fetch.");
        if (fetch != null) {
          cancelQuietly(fetch);
        }
      }
    }

    private void finished(Outcome<byte[]> outcome) {
      if (flight != this) {
        return; // forgotten: every waiter left and the fetch was cancelled, or shut down
      }
      flight = null;
      List<Deferred<byte[]>> toFire = new ArrayList<>(waiters);
      waiters.clear();
      // startFetch made sure a success is the poem's bytes.
      byte[] poem = outcome instanceof Outcome.Success<byte[]>(byte[] bytes) ? bytes : null;
      Throwable error =
          outcome instanceof Outcome.Failed<byte[]>(Failure failure) ? failure.value() : null;
      if (error != null) {
        LOG.warn("Fetching the poem failed: {}", Failure.of(error).getErrorMessage());
      } else if (poem.length > 0) {
        cached = poem;
        cachedAt = clock.seconds();
      } else {
        LOG.warn("The server sent an empty poem; not caching it.");
      }
      for (Deferred<byte[]> w : toFire) {
        if (w.isCalled()) {
          continue; // cancelled by another waiter's callback
        }
        if (error != null) {
          w.errback(error);
        } else {
          w.callback(poem);
        }
      }
    }
  }

  /** Cancels an upstream fetch; a canceller that throws is logged, never passed to a waiter. */
  private static void cancelQuietly(Deferred<byte[]> fetch) {
    try {
      fetch.cancel();
    } catch (RuntimeException e) {
      LOG.warn("Cancelling the fetch from the upstream server failed: {}", e.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static Deferred<byte[]>[] newArray() {
    return (Deferred<byte[]>[]) new Deferred<?>[1];
  }
}
