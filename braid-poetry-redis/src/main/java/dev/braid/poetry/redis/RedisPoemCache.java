package dev.braid.poetry.redis;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.defer.PendingDeferreds;
import dev.braid.net.Reactor;
import dev.braid.poetry.LogLimiter;
import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoemTooLargeException;
import dev.braid.poetry.ProxyService;
import dev.braid.poetry.ProxyShutdownException;
import io.lettuce.core.RedisCommandExecutionException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caching proxy's cache shared by a fleet of proxies through Redis: a poem fetched by one
 * member is served by all, and while it is cold exactly one member of the fleet fetches it.
 *
 * <h2>Keys</h2>
 *
 * Everything lives under {@code braid:poetry:HOST:PORT}, the upstream server's address, so that
 * fleets of proxies of different servers can share one Redis: the poem itself at that key (with a
 * small header, {@code BP1}, and a CRC-32C of the poem, and the proxy's TTL as its expiry), the
 * lease at {@code ...:lease}, and the notifications on the channel {@code ...:events}.
 *
 * <h2>How a member answers a client</h2>
 *
 * Within one member, clients that arrive while the member is looking for the poem wait on that one
 * search (a local single flight, with the rules of {@link ProxyService}: a client that leaves
 * detaches only itself, and the search is abandoned when the last one leaves). The search:
 *
 * <ol>
 *   <li>{@code GET} the poem (with its {@code PTTL}): found, it is served.
 *   <li>Not found: in one script, look again and take the lease, {@code SET ...:lease TOKEN NX PX
 *       LEASE GET} (so a poem stored since the first look is found, not fetched again). Taken, the
 *       member fetches the poem upstream, renewing the lease every third of its time while it
 *       fetches; then stores the poem with the TTL, gives the lease up and publishes {@code stored
 *       TOKEN} (one script, so no member sees the lease gone before the poem is there).
 *   <li>Held by another member: wait for its notification, and look again every poll interval in
 *       case a notification was lost. If that member dies, its lease expires and the next look
 *       takes it: another member fetches.
 * </ol>
 *
 * A failed fetch caches nothing: the fetching member gives the lease up and publishes {@code failed
 * TOKEN REASON}, and the members waiting on that lease fail their clients with a {@link
 * SharedFetchException}, as one proxy fails every client waiting on a failed fetch. An empty poem,
 * a poem larger than the size limit and one that Redis refuses (out of memory) are served but not
 * shared: the lease is given up with {@code unshared TOKEN}, and the other members fetch for
 * themselves.
 *
 * <h2>When Redis is unreachable</h2>
 *
 * A member that cannot reach Redis serves from its own memory (the last poem it served, until its
 * expiry) and otherwise fetches on its own, with its own single flight, as the in-process cache
 * does; it logs once when Redis is lost and once when it is back, and Lettuce reconnects by itself.
 * Whatever Redis does, no client waits longer than the wait limit (the proxy's upstream timeout)
 * from the start of the search: then the search fails with a {@link TimeoutException}, and a fetch
 * in progress is cancelled.
 *
 * <p>Ownership: every caller may receive the same array; it must not be changed. Threading: reactor
 * thread only; Lettuce's results and notifications are handed over with {@code callFromThread}.
 */
public final class RedisPoemCache implements PoemCache {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPoemCache.class);

  /** The prefix of every key and channel: {@value}, then the upstream's {@code HOST:PORT}. */
  public static final String KEY_PREFIX = "braid:poetry:";

  /** How long a lease lasts unless renewed: 3 seconds. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(3);

  /** How often a member waiting on another's lease looks again: every 250 ms. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

  /** The longest a Redis command may take before Redis counts as lost: 1 second. */
  public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(1);

  /** The largest poem shared through Redis unless told otherwise: 1 MiB. */
  public static final long DEFAULT_MAX_CACHED_SIZE = 1 << 20;

  private final Reactor reactor;
  private final ProxyService.Upstream upstream;
  private final String upstreamName;
  private final Duration ttl;
  private final Duration waitLimit;
  private final long maxCachedSize;
  private final Duration lease;
  private final Duration pollInterval;
  private final byte[] key;
  private final byte[] leaseKey;
  private final String memberId;
  private final RedisLink link;
  private final LogLimiter notShared = LogLimiter.create(LOG::info);
  private final LogLimiter foreign = LogLimiter.create(LOG::warn);
  private final List<Deferred<Void>> peerWaiters = new ArrayList<>();
  private Flight flight;
  private Local local;
  private long flightNumber;
  private long fetches;
  private long sharedHits;
  private long memoryHits;
  private boolean shutDown;

  /** The last poem this member served, kept for when Redis is unreachable or would not keep it. */
  private record Local(byte[] poem, double expiresAt, boolean shared) {}

  private RedisPoemCache(Builder b) {
    this.reactor = b.reactor;
    this.upstream = b.upstream;
    this.upstreamName = b.upstreamName;
    this.ttl = b.ttl;
    this.waitLimit = b.waitLimit;
    this.maxCachedSize = b.maxCachedSize;
    this.lease = b.lease;
    this.pollInterval = b.pollInterval;
    String base = KEY_PREFIX + b.upstreamName;
    this.key = base.getBytes(StandardCharsets.UTF_8);
    this.leaseKey = (base + ":lease").getBytes(StandardCharsets.UTF_8);
    byte[] id = new byte[8];
    ThreadLocalRandom.current().nextBytes(id);
    this.memberId = HexFormat.of().formatHex(id);
    Duration redisTimeout = b.redisTimeout;
    Duration quarter = b.waitLimit.dividedBy(4);
    if (redisTimeout.compareTo(quarter) > 0) {
      redisTimeout = quarter; // leave most of the wait for the fetch when Redis stops answering
    }
    this.link =
        new RedisLink(
            b.reactor,
            b.endpoint,
            b.tlsCa,
            redisTimeout,
            b.probeInterval,
            base + ":events",
            this::onMessage);
  }

  /**
   * Starts building a cache.
   *
   * @param reactor the proxy's reactor; every Deferred fires on its thread
   * @param endpoint where Redis is
   * @param upstream fetches the poem from the upstream server
   * @param upstreamName the upstream server's {@code HOST:PORT}, which namespaces the keys
   * @return a builder with the defaults: TTL {@link ProxyService#DEFAULT_TTL}, wait limit 30
   *     seconds, {@link #DEFAULT_MAX_CACHED_SIZE}, {@link #DEFAULT_LEASE}, {@link
   *     #DEFAULT_POLL_INTERVAL}, {@link #DEFAULT_REDIS_TIMEOUT}
   */
  public static Builder builder(
      Reactor reactor,
      RedisEndpoint endpoint,
      ProxyService.Upstream upstream,
      String upstreamName) {
    return new Builder(reactor, endpoint, upstream, upstreamName);
  }

  /** Builds a {@link RedisPoemCache}; every setting has a default. Not thread-safe. */
  public static final class Builder {
    private final Reactor reactor;
    private final RedisEndpoint endpoint;
    private final ProxyService.Upstream upstream;
    private final String upstreamName;
    private Duration ttl = ProxyService.DEFAULT_TTL;
    private Duration waitLimit = Duration.ofSeconds(30);
    private long maxCachedSize = DEFAULT_MAX_CACHED_SIZE;
    private Duration lease = DEFAULT_LEASE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration redisTimeout = DEFAULT_REDIS_TIMEOUT;
    private Duration probeInterval = Duration.ofMillis(500);
    private File tlsCa;

    private Builder(
        Reactor reactor,
        RedisEndpoint endpoint,
        ProxyService.Upstream upstream,
        String upstreamName) {
      this.reactor = Objects.requireNonNull(reactor, "reactor");
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      this.upstream = Objects.requireNonNull(upstream, "upstream");
      this.upstreamName = Objects.requireNonNull(upstreamName, "upstreamName");
    }

    /**
     * Sets how long a poem stays cached, in Redis and in a member's memory.
     *
     * @param ttl positive
     * @return this builder
     */
    public Builder ttl(Duration ttl) {
      this.ttl = positive(ttl, "ttl");
      return this;
    }

    /**
     * Sets the longest a client waits for its poem, whatever Redis and the other members do: the
     * proxy's upstream timeout.
     *
     * @param waitLimit positive
     * @return this builder
     */
    public Builder waitLimit(Duration waitLimit) {
      this.waitLimit = positive(waitLimit, "waitLimit");
      return this;
    }

    /**
     * Sets the largest poem shared through Redis; a larger one is served but not shared.
     *
     * @param bytes positive
     * @return this builder
     */
    public Builder maxCachedSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxCachedSize must be positive: " + bytes);
      }
      this.maxCachedSize = bytes;
      return this;
    }

    /**
     * Sets how long a lease lasts unless its member renews it: how soon another member takes over
     * from one that died mid-fetch.
     *
     * @param lease at least 30 ms
     * @return this builder
     */
    public Builder lease(Duration lease) {
      if (positive(lease, "lease").toMillis() < 30) {
        throw new IllegalArgumentException("lease must be at least 30 ms: " + lease);
      }
      this.lease = lease;
      return this;
    }

    /**
     * Sets how often a member waiting on another's lease looks again.
     *
     * @param pollInterval positive
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = positive(pollInterval, "pollInterval");
      return this;
    }

    /**
     * Sets the longest a Redis command may take before Redis counts as lost (never more than a
     * quarter of the wait limit).
     *
     * @param redisTimeout positive
     * @return this builder
     */
    public Builder redisTimeout(Duration redisTimeout) {
      this.redisTimeout = positive(redisTimeout, "redisTimeout");
      return this;
    }

    /**
     * Sets how often a member that lost Redis checks whether it is back.
     *
     * @param probeInterval positive
     * @return this builder
     */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = positive(probeInterval, "probeInterval");
      return this;
    }

    /**
     * Sets the certificate authority that a {@code rediss://} server's certificate must chain to (a
     * PEM file), in place of the JVM's trusted ones.
     *
     * @param pemFile the file, or null for the JVM's
     * @return this builder
     */
    public Builder tlsCa(File pemFile) {
      this.tlsCa = pemFile;
      return this;
    }

    /**
     * Makes the cache and starts connecting to Redis; until it is connected, the cache serves as
     * when Redis is unreachable.
     *
     * @return the cache; {@link RedisPoemCache#close()} it when done
     */
    public RedisPoemCache build() {
      RedisPoemCache cache = new RedisPoemCache(this);
      cache.link.start();
      return cache;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }

  @Override
  public Deferred<byte[]> getPoem() {
    if (shutDown) {
      return Deferred.fail(new ProxyShutdownException());
    }
    if (flight != null) {
      return flight.join();
    }
    Flight f = new Flight();
    flight = f;
    Deferred<byte[]> first = f.join();
    f.begin();
    return first;
  }

  @Override
  public int shutDown() {
    if (shutDown) {
      return 0;
    }
    shutDown = true;
    Flight f = flight;
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
    f.abandon();
    for (Deferred<byte[]> w : toFail) {
      if (!w.isCalled()) {
        w.errback(new ProxyShutdownException());
      }
    }
    return toFail.size();
  }

  @Override
  public boolean isShutDown() {
    return shutDown;
  }

  /**
   * Shuts the cache down (if it was not) and closes its connections to Redis, stopping Lettuce's
   * threads. Idempotent.
   *
   * @return a Deferred that fires on the reactor thread once the threads have stopped
   */
  public Deferred<Void> close() {
    shutDown();
    return link.close();
  }

  /** {@return true while Redis answers: the fleet shares the cache} */
  public boolean isRedisUp() {
    return link.isUp();
  }

  /**
   * {@return a Deferred that fires on the reactor thread when Redis is next found reachable: at
   * once if it is} A server can wait on it before it announces itself ready; cancel it to stop
   * waiting.
   */
  public Deferred<Void> whenRedisUp() {
    return link.whenUp();
  }

  /**
   * {@return a Deferred that fires on the reactor thread when Redis is next found unreachable: at
   * once if it is}
   */
  public Deferred<Void> whenRedisDown() {
    return link.whenDown();
  }

  /** For tests: fires when a search next waits on another member's lease (at once if one does). */
  Deferred<Void> whenWaitingOnAnotherMember() {
    Deferred<Void> d = Deferred.create(x -> peerWaiters.remove(x));
    if (flight != null && flight.waitingOnPeer) {
      d.callback(null);
    } else {
      peerWaiters.add(d);
    }
    return d;
  }

  /** {@return how many upstream fetches this member started} */
  public long fetchCount() {
    return fetches;
  }

  /** {@return how many searches found the poem in Redis} */
  public long sharedHitCount() {
    return sharedHits;
  }

  /** {@return how many searches were answered from this member's memory} */
  public long memoryHitCount() {
    return memoryHits;
  }

  /** {@return true while a search is in flight} */
  public boolean isSearching() {
    return flight != null;
  }

  /** {@return how many clients wait on the search in flight; 0 when none is} */
  public int waiterCount() {
    return flight == null ? 0 : flight.waiters.size();
  }

  /** {@return the key the poem is stored under, e.g. {@code braid:poetry:127.0.0.1:10001}} */
  public String key() {
    return new String(key, StandardCharsets.UTF_8);
  }

  /** {@return where Redis is} */
  public RedisEndpoint endpoint() {
    return link.endpoint();
  }

  private void onMessage(String text) {
    String[] parts = text.split(" ", 3);
    if (parts.length >= 2 && flight != null) {
      flight.onMessage(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }
  }

  private boolean localFresh() {
    return local != null && reactor.seconds() < local.expiresAt;
  }

  private void remember(byte[] poem, double freshForSeconds, boolean shared) {
    local = new Local(poem, reactor.seconds() + freshForSeconds, shared);
  }

  /** One search for the poem and the clients waiting on it. */
  private final class Flight {
    final Set<Deferred<byte[]>> waiters = new LinkedHashSet<>();
    final String token = memberId + ":" + ++flightNumber;
    DelayedCall deadline;
    DelayedCall pollTimer;
    DelayedCall renewTimer;
    Deferred<byte[]> fetch;
    String holder;
    boolean holding;
    boolean waitingOnPeer;
    boolean checking;
    boolean checkAgain;
    boolean done;

    Deferred<byte[]> join() {
      Deferred<byte[]>[] self = newArray();
      Deferred<byte[]> waiter = Deferred.create(d -> leave(self[0]));
      self[0] = waiter;
      waiters.add(waiter);
      PendingDeferreds.noteWaitingOn(waiter, this); // debug mode: for pending dumps
      return waiter;
    }

    /** What the flight's clients wait on, in a pending dump. */
    @Override
    public String toString() {
      String what = "the poem under " + key() + ": ";
      if (done) {
        return what + "a finished search";
      }
      if (fetch != null) {
        return what
            + (holding
                ? "fetching it from the upstream server, holding the fleet's lease"
                : "fetching it from the upstream server on this proxy's own (not shared)");
      }
      if (waitingOnPeer) {
        return what + "waiting for fleet member " + holder + ", which holds the lease, to store it";
      }
      return what + (checking ? "looking it up in Redis" : "searching");
    }

    void begin() {
      deadline = reactor.callLater(Clock.toSeconds(waitLimit), this::timedOut);
      check();
    }

    /** Looks in Redis; on a miss, takes the lease or waits on the member that holds it. */
    void check() {
      if (done || holding || fetch != null) {
        return;
      }
      if (checking) {
        checkAgain = true;
        return;
      }
      if (!link.isUp()) {
        onOwn();
        return;
      }
      checking = true;
      checkAgain = false;
      link.lookUp(key)
          .addCallbacks(
              found -> {
                if (done) {
                  checking = false;
                } else {
                  looked(found); // still checking until the lease is taken or its holder known
                }
                return null;
              },
              failure -> {
                checking = false;
                if (!done) {
                  onOwn();
                }
                return null;
              });
    }

    private void looked(RedisLink.Lookup found) {
      if (served(found.value(), found.pttlMillis())) {
        checking = false;
        return;
      }
      if (localFresh() && !local.shared) {
        memoryHits++;
        checking = false;
        succeed(local.poem);
        return;
      }
      link.claim(key, leaseKey, token, lease.toMillis())
          .addCallbacks(
              claim -> {
                checking = false;
                if (done) {
                  if (claim.value() == null && claim.holder() == null) {
                    release("abandoned " + token); // taken after every client left
                  }
                } else if (served(claim.value(), claim.pttlMillis())) {
                  // stored by another member since this one looked
                } else if (claim.holder() != null) {
                  holder = claim.holder();
                  waitOnPeer();
                } else {
                  holding = true;
                  fetchUpstream();
                }
                return null;
              },
              failure -> {
                checking = false;
                if (failure.value() instanceof RedisCommandExecutionException refused) {
                  notShared.log(
                      () ->
                          "Redis refused the lease ("
                              + String.valueOf(refused.getMessage()).strip()
                              + "); this proxy fetches on its own, without sharing");
                }
                if (!done) {
                  onOwn();
                }
                return null;
              });
    }

    /** Serves {@code value} if it is a poem stored by a member; {@return whether it did} */
    private boolean served(byte[] value, long pttlMillis) {
      if (value == null) {
        return false;
      }
      byte[] poem = SharedValue.decode(value);
      if (poem == null) {
        foreign.log(
            () ->
                "Ignoring the value under "
                    + key()
                    + ": not a whole poem stored by a Braid proxy (it will be replaced)");
        return false;
      }
      sharedHits++;
      LOG.debug("Using the poem cached in Redis.");
      if (pttlMillis > 0) {
        remember(poem, pttlMillis / 1000.0, true);
      } else if (pttlMillis == -1) {
        remember(poem, Clock.toSeconds(ttl), true); // stored without an expiry
      }
      succeed(poem);
      return true;
    }

    private void waitOnPeer() {
      waitingOnPeer = true;
      List<Deferred<Void>> toFire = List.copyOf(peerWaiters);
      peerWaiters.clear();
      toFire.forEach(d -> d.callback(null));
      if (checkAgain) {
        check();
        return;
      }
      cancel(pollTimer);
      pollTimer = reactor.callLater(Clock.toSeconds(pollInterval), this::check);
    }

    void onMessage(String kind, String from, String reason) {
      if (done || !waitingOnPeer || holding || fetch != null) {
        return;
      }
      if (kind.equals("failed")) {
        if (from.equals(holder)) {
          LOG.warn("Fetching the poem failed: another proxy of the fleet says: {}", reason);
          finish(null, new SharedFetchException(reason));
        }
        return;
      }
      cancel(pollTimer);
      check();
    }

    /** Redis cannot help: this member's memory, or a fetch of its own. */
    private void onOwn() {
      if (localFresh()) {
        memoryHits++;
        succeed(local.poem);
        return;
      }
      fetchUpstream();
    }

    private void fetchUpstream() {
      waitingOnPeer = false;
      cancel(pollTimer);
      fetches++;
      LOG.info("Fetching poem from server.");
      Deferred<byte[]> d = ProxyService.startFetch(upstream);
      fetch = d;
      if (holding) {
        scheduleRenew();
      }
      d.addBoth(
          outcome -> {
            fetched(outcome);
            return null;
          });
    }

    private void scheduleRenew() {
      renewTimer =
          reactor.callLater(
              Clock.toSeconds(lease) / 3,
              () -> {
                if (done || fetch == null || fetch.isCalled()) {
                  return;
                }
                link.renew(leaseKey, token, lease.toMillis()).addErrback(f -> null);
                scheduleRenew();
              });
    }

    private void fetched(Outcome<byte[]> outcome) {
      cancel(renewTimer);
      if (done) {
        return; // abandoned, timed out or shut down: the lease is already given up
      }
      // ProxyService.startFetch made sure a success is the poem's bytes.
      byte[] poem = outcome instanceof Outcome.Success<byte[]>(byte[] bytes) ? bytes : null;
      Throwable error =
          outcome instanceof Outcome.Failed<byte[]>(Failure failure) ? failure.value() : null;
      if (error != null) {
        String reason = Failure.of(error).getErrorMessage();
        LOG.warn("Fetching the poem failed: {}", reason);
        if (holding) {
          release("failed " + token + " " + reason.replaceAll("\\s+", " "));
        }
        finish(null, error);
        return;
      }
      if (poem.length == 0) {
        LOG.warn("The server sent an empty poem; not caching it.");
        if (holding) {
          release("unshared " + token);
        }
        succeed(poem);
        return;
      }
      boolean share = holding && poem.length <= maxCachedSize;
      remember(poem, Clock.toSeconds(ttl), share);
      if (share) {
        Local mine = local;
        byte[] stored = poem;
        link.store(key, leaseKey, SharedValue.encode(poem), ttl.toMillis(), token)
            .addCallbacks(
                refused -> {
                  if (refused != null) {
                    notShared.log(
                        () ->
                            "Redis did not store the poem ("
                                + refused.strip()
                                + "); this proxy serves it, the others fetch their own");
                    if (local == mine) {
                      local = new Local(stored, mine.expiresAt, false);
                    }
                  }
                  return null;
                },
                f -> null); // Redis was lost: the lease expires by itself
      } else if (holding) {
        long size = poem.length;
        notShared.log(
            () ->
                "The poem ("
                    + PoemTooLargeException.describeBytes(size)
                    + ") is larger than the "
                    + PoemTooLargeException.describeBytes(maxCachedSize)
                    + " shared through Redis; this proxy serves it, the others fetch their own");
        release("unshared " + token);
      }
      succeed(poem);
    }

    private void timedOut() {
      if (done) {
        return;
      }
      String reason =
          fetch != null
              ? "the upstream server "
                  + upstreamName
                  + " did not send the whole poem within "
                  + Clock.describe(waitLimit)
                  + " (the upstream timeout); gave up on it"
              : "no poem within "
                  + Clock.describe(waitLimit)
                  + " (the upstream timeout): the proxy of the fleet fetching it has not stored"
                  + " it; gave up waiting";
      LOG.warn("Fetching the poem failed: {}", reason);
      if (holding) {
        release("failed " + token + " " + reason);
      }
      Deferred<byte[]> f = fetch;
      finish(null, new TimeoutException(reason));
      if (f != null && !f.isCalled()) {
        cancelQuietly(f);
      }
    }

    private void leave(Deferred<byte[]> waiter) {
      waiters.remove(waiter);
      if (waiters.isEmpty() && !done) {
        LOG.info("Every client left; cancelling the fetch.");
        abandon();
      }
    }

    /** Every client left, or the cache shuts down: stop, and let another member fetch. */
    void abandon() {
      if (done) {
        return;
      }
      done = true;
      if (flight == this) {
        flight = null;
      }
      cancelTimers();
      if (holding) {
        release("abandoned " + token);
      }
      if (fetch != null && !fetch.isCalled()) {
        cancelQuietly(fetch);
      }
    }

    private void succeed(byte[] poem) {
      finish(poem, null);
    }

    private void finish(byte[] poem, Throwable error) {
      done = true;
      if (flight == this) {
        flight = null;
      }
      cancelTimers();
      List<Deferred<byte[]>> toFire = new ArrayList<>(waiters);
      waiters.clear();
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

    private void cancelTimers() {
      cancel(deadline);
      cancel(pollTimer);
      cancel(renewTimer);
    }

    private void release(String message) {
      link.release(leaseKey, token, message).addErrback(f -> null);
    }
  }

  private static void cancel(DelayedCall call) {
    if (call != null && call.active()) {
      call.cancel();
    }
  }

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
