package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryProxyFactory;
import dev.braid.poetry.ProxyService;
import dev.braid.reactor.ReactorTcp;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
      "Runs until Ctrl-C."
    },
    footer = {
      "",
      "Examples:",
      "  poetry proxy --port 10000 10001",
      "  poetry proxy --ttl 30m 10001"
    })
final class ProxyCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Mixin Listen listen;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "2h",
      converter = Converters.Ttl.class,
      description =
          "How long the poem stays cached: e.g. 2h (the default), 30m, 90s, 1h30m, or seconds.")
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

  @Parameters(
      paramLabel = "SERVER",
      converter = Converters.ServerAddress.class,
      description = "The poetry server to proxy, [host:]port.")
  Address server;

  @Override
  public Integer call() {
    return Servers.run(
        parent.env,
        "poetry proxy",
        reactor -> {
          ProxyService service =
              ProxyService.create(
                  reactor,
                  PoetryClient.upstream(reactor, server.host(), server.port())
                      .withTimeout(upstreamTimeout, reactor),
                  ttl);
          var port =
              reactor.listenTCP(
                  listen.port,
                  listen.guardPoetry(PoetryProxyFactory.create(service), reactor),
                  ReactorTcp.DEFAULT_BACKLOG,
                  listen.iface);
          return "Proxying poetry on "
              + Listen.describe(port.getHost())
              + " for "
              + server
              + " (cache TTL "
              + Clock.describe(ttl)
              + ").";
        });
  }
}
