package dev.braid.poetry.redis;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryProxyFactory;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A fleet of caching proxies for tests: each member on a reactor of its own with a {@link
 * RedisPoemCache} on one real Redis, listening on loopback; one held upstream server ({@link
 * HeldUpstream}) on a reactor of its own; and a reactor for the clients. {@link #close()} closes
 * the caches (stopping Lettuce's threads) and the reactors.
 */
final class Fleet implements AutoCloseable {
  /** One member: its reactor, cache and port. */
  record Member(RunningReactor r, RedisPoemCache cache, Counting counted, int port) {}

  final RunningReactor upstreamReactor = RunningReactor.start();
  final RunningReactor clients = RunningReactor.start();
  final HeldUpstream upstream = new HeldUpstream();
  final int upstreamPort;
  final List<Member> members = new ArrayList<>();

  private Fleet() {
    upstreamPort =
        upstreamReactor.call(
            () ->
                upstreamReactor
                    .reactor()
                    .listenTCP(0, upstream, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                    .getHost()
                    .getPort());
  }

  /** Starts {@code n} members, each built with the defaults changed by {@code settings}. */
  static Fleet start(RedisServer redis, int n, Consumer<RedisPoemCache.Builder> settings) {
    Fleet f = new Fleet();
    for (int i = 0; i < n; i++) {
      f.add(redis.endpoint(), settings);
    }
    return f;
  }

  Member add(RedisEndpoint endpoint, Consumer<RedisPoemCache.Builder> settings) {
    RunningReactor r = RunningReactor.start();
    RedisPoemCache cache =
        r.call(
            () -> {
              RedisPoemCache.Builder b =
                  RedisPoemCache.builder(
                      r.reactor(),
                      endpoint,
                      PoetryClient.upstream(r.reactor(), "127.0.0.1", upstreamPort),
                      "127.0.0.1:" + upstreamPort);
              settings.accept(b);
              return b.build();
            });
    Counting counted = new Counting(cache);
    int port =
        r.call(
            () ->
                r.reactor()
                    .listenTCP(
                        0,
                        PoetryProxyFactory.create(counted),
                        ReactorTcp.DEFAULT_BACKLOG,
                        "127.0.0.1")
                    .getHost()
                    .getPort());
    Member m = new Member(r, cache, counted, port);
    members.add(m);
    r.await(cache::whenRedisUp);
    return m;
  }

  Member member(int i) {
    return members.get(i);
  }

  /** A client of member {@code i}, over TCP. */
  CompletableFuture<Outcome<byte[]>> client(int i) {
    int port = members.get(i).port();
    return clients.outcomeFuture(
        () -> PoetryClient.fetch(clients.reactor(), "127.0.0.1", port, null));
  }

  /** Asks member {@code i}'s cache directly, on its reactor. */
  CompletableFuture<Outcome<byte[]>> ask(int i) {
    Member m = members.get(i);
    return m.r().outcomeFuture(m.cache()::getPoem);
  }

  /** Waits until the upstream server has had {@code n} connections in all. */
  void awaitUpstreamConnections(int n) {
    upstreamReactor.await(() -> upstream.whenMade(n));
  }

  /** Waits until member {@code i} has been asked for the poem {@code n} times in all. */
  void awaitAsked(int i, int n) {
    Member m = members.get(i);
    m.r().await(() -> m.counted().whenAsked(n));
  }

  void release(byte[] poem) {
    upstreamReactor.run(() -> upstream.release(poem));
  }

  void reset(byte[] poem, int bytes) {
    upstreamReactor.run(() -> upstream.reset(poem, bytes));
  }

  int upstreamConnections() {
    return upstreamReactor.call(upstream::made);
  }

  /** Closes member {@code i}'s cache and stops its reactor. */
  void stop(Member m) {
    if (m.r().thread().isAlive()) {
      m.r().await(m.cache()::close);
      m.r().close();
    }
  }

  @Override
  public void close() {
    for (Member m : members) {
      stop(m);
    }
    clients.close();
    upstreamReactor.close();
  }

  /** A cache that counts the clients asking it, so a test can wait until they all have. */
  static final class Counting implements PoemCache {
    private final PoemCache inner;
    private final List<Deferred<Void>> waiters = new ArrayList<>();
    private final List<Integer> targets = new ArrayList<>();
    private int asked;

    Counting(PoemCache inner) {
      this.inner = inner;
    }

    Deferred<Void> whenAsked(int n) {
      Deferred<Void> d = Deferred.create();
      if (asked >= n) {
        d.callback(null);
      } else {
        waiters.add(d);
        targets.add(n);
      }
      return d;
    }

    @Override
    public Deferred<byte[]> getPoem() {
      asked++;
      Deferred<byte[]> d = inner.getPoem();
      for (int i = waiters.size() - 1; i >= 0; i--) {
        if (asked >= targets.get(i)) {
          targets.remove(i);
          waiters.remove(i).callback(null);
        }
      }
      return d;
    }

    @Override
    public int shutDown() {
      return inner.shutDown();
    }

    @Override
    public boolean isShutDown() {
      return inner.isShutDown();
    }
  }
}
