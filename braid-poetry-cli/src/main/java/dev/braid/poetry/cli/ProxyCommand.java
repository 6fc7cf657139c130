package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.net.Factory;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.ProxyFront;
import dev.braid.poetry.ProxyService;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
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
        listen,
        new Servers.Setup() {
          private ProxyFront front;

          @Override
          public Factory factory(SelectorReactor reactor, ConnectionDrain drain) {
            if (front == null) {
              // One cache and one fetch in flight for the whole group: the service lives on the
              // first reactor, and the clients of the others ask it through the front.
              front =
                  ProxyFront.create(reactor, ProxyService.create(reactor, upstream(reactor), ttl));
            }
            // Clients still waiting on the upstream when a reactor's grace expires are failed (and
            // so reset) by the service, which logs that it is shutting down.
            drain.whenGraceExpires(front::shutDown);
            return listen.guardPoetry(front.factory(reactor), reactor);
          }

          @Override
          public String banner(String address, String reactors) {
            return "Proxying poetry on "
                + address
                + " for "
                + server
                + (ttl.isZero() ? " (no caching; " : " (cache TTL " + Clock.describe(ttl) + "; ")
                + reactors
                + ").";
          }
        });
  }

  /**
   * The upstream server, each fetch bounded by {@code --upstream-timeout}; a fetch that runs out of
   * time fails with a message naming the server and the limit in words, which the proxy logs.
   */
  private ProxyService.Upstream upstream(SelectorReactor reactor) {
    ProxyService.Upstream timed =
        PoetryClient.upstream(reactor, server.host(), server.port())
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
