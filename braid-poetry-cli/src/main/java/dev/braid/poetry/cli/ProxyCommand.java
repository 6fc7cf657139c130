package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.net.Factory;
import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoemCacheProvider;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.ProxyFront;
import dev.braid.poetry.ProxyService;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code poetry proxy}: the caching poetry proxy. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    header = "A caching proxy for one poetry server.",
    versionProvider = Version.class,
    description = {
      "A caching proxy for one poetry server: clients connect to it as to any poetry server.",
      "The poem is fetched once and cached for --ttl. While a fetch is in flight, every client"
          + " that arrives waits on it: one upstream connection however many clients. A client"
          + " that disconnects stops only its own wait; the fetch is cancelled when no client is"
          + " left. A failed fetch (including a reset mid-poem) fails every waiting client (their"
          + " connections are reset), caches nothing, and the next client tries again.",
      "With --cache redis://HOST:PORT, a fleet of proxies of the same SERVER shares one cache in"
          + " Redis: the fleet fetches each poem once, and a poem fetched by one proxy is served by"
          + " all. While Redis is unreachable each proxy serves from its own memory and fetches on"
          + " its own, and says so once.",
      "Runs until Ctrl-C."
    },
    footer = {
      "",
      "Examples:",
      "  poetry proxy --port 10000 10001",
      "  poetry proxy --ttl 30m 10001",
      "  poetry proxy --cache redis://127.0.0.1:6379 10001",
      "  poetry proxy --tls-ca ca.pem tls:poems.example.org:10443"
    })
final class ProxyCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Spec CommandSpec spec;

  @Mixin Listen listen;

  @Mixin TlsCa tlsCa;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "2h",
      converter = Converters.Ttl.class,
      description =
          "How long the poem stays cached: e.g. 2h (the default), 30m, 90s, 1h30m, 500ms, or"
              + " plain seconds (7200). 0 caches nothing: every client whose poem is not already"
              + " being fetched starts a fetch (clients that arrive during a fetch still share"
              + " it).")
  Duration ttl;

  @Option(
      names = "--upstream-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      converter = Converters.PositiveSeconds.class,
      description =
          "Give up on a fetch from SERVER that has not finished SECONDS after it started"
              + " (default: ${DEFAULT-VALUE}): its connection is closed and every client waiting"
              + " on it is reset, as when the fetch fails.")
  Duration upstreamTimeout;

  @Option(
      names = "--cache",
      paramLabel = "URL",
      converter = Converters.CacheUrl.class,
      description =
          "Share the cache with the other proxies of SERVER through Redis:"
              + " redis://HOST[:PORT][/DB] (port 6379 and database 0 by default), or rediss://"
              + " for TLS (the server's certificate checked against the JVM's trusted ones, or"
              + " the PEM file named by POETRY_REDIS_CA). A password goes in the URL"
              + " (redis://:PASSWORD@HOST) or in POETRY_REDIS_PASSWORD. Default: a cache in this"
              + " proxy's memory.")
  String cache;

  @Option(
      names = "--max-cached-size",
      paramLabel = "SIZE",
      defaultValue = "1M",
      converter = Converters.PoemSize.class,
      description =
          "With --cache: the largest poem shared through Redis (default: ${DEFAULT-VALUE}, i.e."
              + " 1 MiB; K, M, G are powers of 1024). A larger one is served, but each proxy"
              + " fetches and keeps its own.")
  long maxCachedSize;

  @Parameters(
      paramLabel = "SERVER",
      converter = Converters.ServerAddress.class,
      description = "The poetry server to proxy, [host:]port, or tls:[host:]port if it speaks TLS.")
  Address server;

  @Override
  public Integer call() {
    if (listen.tlsUsageError() != null) {
      parent
          .env
          .err()
          .println("poetry proxy: " + listen.tlsUsageError() + " (see 'poetry proxy --help')");
      return Cli.USAGE;
    }
    if (cache != null && ttl.isZero()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--cache with --ttl 0: a fleet cannot share a poem it does not cache");
    }
    return Servers.run(
        parent.env,
        "poetry proxy",
        listen,
        new Servers.Setup() {
          private ProxyFront front;

          @Override
          public Factory factory(SelectorReactor reactor, ConnectionDrain drain) {
            if (front == null) {
              // One cache and one fetch in flight for the whole group: the cache lives on the
              // first reactor, and the clients of the others ask it through the front.
              front = ProxyFront.create(reactor, cache(reactor));
            }
            // Clients still waiting on the upstream when a reactor's grace expires are failed (and
            // so reset) by the cache, which logs that it is shutting down.
            drain.whenGraceExpires(front::shutDown);
            return listen.guardPoetry(front.factory(reactor), reactor);
          }

          @Override
          public String banner(String address, String reactors) {
            return "Proxying poetry on "
                + address
                + " for "
                + server
                + (ttl.isZero() ? " (no caching" : " (cache TTL " + Clock.describe(ttl))
                + (cache == null ? "" : ", shared through " + Converters.CacheUrl.redact(cache))
                + "; "
                + reactors
                + ").";
          }
        });
  }

  /**
   * The proxy's cache, owned by {@code reactor}: in memory, or the shared one {@code --cache}
   * names.
   */
  private PoemCache cache(SelectorReactor reactor) {
    return cache == null
        ? ProxyService.create(reactor, upstream(reactor), ttl)
        : Converters.CacheUrl.open(
            cache,
            new PoemCacheProvider.Settings(
                reactor,
                upstream(reactor),
                server.toString(),
                ttl,
                upstreamTimeout,
                maxCachedSize,
                System.getenv()));
  }

  /**
   * The upstream server, each fetch bounded by {@code --upstream-timeout}; a fetch that runs out of
   * time fails with a message naming the server and the limit in words, which the proxy logs.
   */
  private ProxyService.Upstream upstream(SelectorReactor reactor) {
    ProxyService.Upstream timed =
        PoetryClient.upstream(server.dialer(reactor, tlsCa.options()), server.host(), server.port())
            .withTimeout(upstreamTimeout, reactor);
    return () ->
        timed
            .fetch()
            .addErrback(
                failure -> {
                  if (failure.check(DeferredTimeoutException.class) != null) {
                    throw new TimeoutException(
                        "the upstream server "
                            + server
                            + " did not send the whole poem within "
                            + Clock.describe(upstreamTimeout)
                            + " (--upstream-timeout); gave up on it");
                  }
                  return failure.raiseException();
                });
  }
}
