package dev.braid.poetry.redis;

import dev.braid.net.ReactorTcp;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryProxyFactory;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;

/**
 * One member of a fleet in a process of its own, for the tests that kill it: {@code FleetMemberMain
 * REDIS_PORT UPSTREAM_PORT LEASE_MILLIS} listens on a free loopback port, prints {@code PORT N}
 * once Redis answers, and serves until killed.
 */
public final class FleetMemberMain {
  private FleetMemberMain() {}

  /**
   * Runs the member.
   *
   * @param args Redis's port, the upstream's port, the lease in milliseconds
   */
  public static void main(String[] args) {
    int redisPort = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
    SelectorReactor reactor = SelectorReactor.create();
    reactor.callWhenRunning(
        () -> {
          RedisPoemCache cache =
              RedisPoemCache.builder(
                      reactor,
                      new RedisEndpoint("127.0.0.1", redisPort, 0, false, null, null),
                      PoetryClient.upstream(reactor, "127.0.0.1", upstreamPort),
                      "127.0.0.1:" + upstreamPort)
                  .lease(lease)
                  .build();
          int port =
              reactor
                  .listenTCP(
                      0, PoetryProxyFactory.create(cache), ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                  .getHost()
                  .getPort();
          cache
              .whenRedisUp()
              .addCallback(
                  x -> {
                    System.out.println("PORT " + port);
                    System.out.flush();
                    return null;
                  });
        });
    reactor.run();
  }
}
