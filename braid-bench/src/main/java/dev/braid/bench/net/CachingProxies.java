package dev.braid.bench.net;

import dev.braid.net.ReactorTcp;
import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryProxyFactory;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.ProxyService;
import dev.braid.poetry.redis.RedisEndpoint;
import dev.braid.poetry.redis.RedisPoemCache;
import dev.braid.reactor.SelectorReactor;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a caching proxy on 127.0.0.1 in front of an upstream poetry server in the same process
 * (both on one reactor), with the poem cached in the proxy's memory ({@code memory}: {@link
 * ProxyService}) or in Redis ({@code redis}: {@link RedisPoemCache}, a fleet of one); prints {@code
 * port N} once the proxy listens (and, for {@code redis}, once Redis answers), and runs until the
 * process is killed. The upstream is asked once; every later request is a cache hit, which is what
 * {@code bench/run-fleet} measures.
 *
 * <pre>
 * CachingProxies memory FILE
 * CachingProxies redis FILE --redis-port P
 * </pre>
 */
public final class CachingProxies {
  private static final String HOST = "127.0.0.1";

  private CachingProxies() {}

  /**
   * Starts the proxy.
   *
   * @param args see the class comment
   * @throws Exception if it cannot start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: CachingProxies memory FILE | CachingProxies redis FILE --redis-port P");
    }
    String impl = args[0];
    byte[] poem = Files.readAllBytes(Path.of(args[1]));
    int redisPort = 6379;
    for (int i = 2; i + 1 < args.length; i += 2) {
      if (args[i].equals("--redis-port")) {
        redisPort = Integer.parseInt(args[i + 1]);
      } else {
        throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    SelectorReactor reactor = SelectorReactor.create();
    int upstreamPort =
        reactor
            .listenTCP(
                0,
                PoetryServerFactory.create(
                    PoetryService.of(poem, dev.braid.poetry.Pacing.atOnce()), reactor),
                ReactorTcp.DEFAULT_BACKLOG,
                HOST)
            .getHost()
            .getPort();
    ProxyService.Upstream upstream = PoetryClient.upstream(reactor, HOST, upstreamPort);
    int port = redisPort;
    reactor.callWhenRunning(
        () -> {
          PoemCache cache;
          RedisPoemCache redis = null;
          switch (impl) {
            case "memory" ->
                cache = ProxyService.create(reactor, upstream, ProxyService.DEFAULT_TTL);
            case "redis" -> {
              redis =
                  RedisPoemCache.builder(
                          reactor,
                          new RedisEndpoint(HOST, port, 0, false, null, null),
                          upstream,
                          HOST + ":" + upstreamPort)
                      .build();
              cache = redis;
            }
            default -> throw new IllegalArgumentException("unknown cache: " + impl);
          }
          int proxyPort =
              reactor
                  .listenTCP(0, PoetryProxyFactory.create(cache), ReactorTcp.DEFAULT_BACKLOG, HOST)
                  .getHost()
                  .getPort();
          if (redis == null) {
            announce(proxyPort);
          } else {
            redis
                .whenRedisUp()
                .addCallback(
                    x -> {
                      announce(proxyPort);
                      return null;
                    });
          }
        });
    reactor.run();
  }

  private static void announce(int port) {
    System.out.println("port " + port);
    System.out.flush();
  }
}
