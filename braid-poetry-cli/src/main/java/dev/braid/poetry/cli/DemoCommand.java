package dev.braid.poetry.cli;

import dev.braid.defer.Deferred;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryProxyFactory;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.ProxyService;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.reactor.SelectorReactor;
import dev.braid.reactor.Tasks;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code poetry demo}: the whole suite in one process, on one reactor thread: three poetry servers
 * on the bundled poems (one slow), a transform server and a caching proxy in front of the slow
 * server; the client fetches from all of them with {@code cummingsify}, then twice more through the
 * proxy to show the cache, and prints a summary.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "Run the whole suite in one process and show it at work.",
    versionProvider = Version.class,
    description = {
      "Run the whole poetry suite in this one process, on one reactor thread, and show it at"
          + " work: three poetry servers on Braid's own poems (one slow), a transform server, and a"
          + " caching proxy in front of the slow server. The client downloads from all four with"
          + " cummingsify (live progress on a terminal), then fetches through the proxy twice more"
          + " to show the cache, and prints the poems and a summary. Takes about two seconds; uses"
          + " free ports on 127.0.0.1.",
      "Exit status: 0 when everything worked, 1 otherwise."
    })
final class DemoCommand implements Callable<Integer> {
  static final int SLOW_NUM_BYTES = 75;
  static final Duration SLOW_DELAY = Duration.ofMillis(100);
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final String LOCALHOST = "127.0.0.1";

  @ParentCommand PoetryCommand parent;

  @Override
  public Integer call() {
    Env env = parent.env;
    SelectorReactor reactor = env.reactors().get();
    if (env.shutdownHook()) {
      reactor.installShutdownHook(Duration.ofSeconds(5));
    }
    boolean[] ok = {false};
    int status =
        Tasks.react(
            reactor,
            r -> new Run(reactor, env).start().addCallback(success -> ok[0] = success),
            env.err());
    return status == 0 && ok[0] ? Cli.OK : Cli.FAILED;
  }

  /** One run of the demo. */
  private static final class Run {
    private final SelectorReactor reactor;
    private final Env env;
    private final PrintStream out;
    private final Poems.Poem slowPoem = Poems.named("single_flight");
    private PoetryServerFactory slowServer;
    private ProxyService proxy;
    private Address[] servers;
    private Address transformAddress;
    private Address proxyAddress;
    private double started;
    private long bytes;
    private int poems;
    private int transformed;
    private int failures;

    Run(SelectorReactor reactor, Env env) {
      this.reactor = reactor;
      this.env = env;
      this.out = env.out();
    }

    Deferred<Boolean> start() {
      started = reactor.seconds();
      Poems.Poem fast1 = Poems.named("the_reactor");
      Poems.Poem fast2 = Poems.named("deferred");
      PoetryServerFactory s1 =
          PoetryServerFactory.create(PoetryService.of(fast1.bytes(), Pacing.atOnce()), reactor);
      PoetryServerFactory s2 =
          PoetryServerFactory.create(PoetryService.of(fast2.bytes(), Pacing.atOnce()), reactor);
      slowServer =
          PoetryServerFactory.create(
              PoetryService.of(slowPoem.bytes(), Pacing.chunks(SLOW_NUM_BYTES, SLOW_DELAY)),
              reactor);
      servers = new Address[] {listen(s1), listen(s2), listen(slowServer)};
      TransformService transforms = TransformService.standard();
      transformAddress = listen(TransformServerFactory.create(transforms));
      proxy =
          ProxyService.create(
              reactor,
              PoetryClient.upstream(reactor, LOCALHOST, servers[2].port()),
              ProxyService.DEFAULT_TTL);
      proxyAddress = listen(PoetryProxyFactory.create(proxy));

      out.println(
          "Braid's poetry demo: every server and client below runs in this process, on one"
              + " reactor thread.");
      out.println();
      row("poetry server", servers[0], "\"" + fast1.title() + "\", sent all at once");
      row("poetry server", servers[1], "\"" + fast2.title() + "\", sent all at once");
      row(
          "poetry server",
          servers[2],
          String.format(
              Locale.ROOT,
              "\"%s\", slow: %d bytes every %s s",
              slowPoem.title(),
              SLOW_NUM_BYTES,
              seconds(SLOW_DELAY)));
      row(
          "transform server",
          transformAddress,
          String.join(", ", transforms.descriptions().keySet()));
      row("caching proxy", proxyAddress, "in front of " + servers[2] + ", TTL 2 hours");
      out.println();
      List<Address> all = List.of(servers[0], servers[1], servers[2], proxyAddress);
      out.println(
          "1. poetry get --xform cummingsify --xform-server "
              + transformAddress
              + " "
              + String.join(" ", all.stream().map(Address::toString).toList()));
      out.println();
      out.flush();
      ProgressDisplay progress =
          env.terminal()
              ? ProgressDisplay.live(
                  env.err(), reactor, all.stream().map(Address::toString).toList())
              : ProgressDisplay.disabled();
      double roundStart = reactor.seconds();
      return Downloads.start(
              reactor,
              all.stream().<Source>map(Source.PoetryServer::new).toList(),
              new Downloads.Xform("cummingsify", transformAddress),
              TIMEOUT,
              progress)
          .addCallbackDeferred(
              results -> {
                progress.close();
                double took = reactor.seconds() - roundStart;
                for (Downloads.Result r : results) {
                  if (r.ok()) {
                    poems++;
                    bytes += r.bytes();
                    if (r.note() == null) {
                      transformed++;
                    }
                  }
                }
                failures += printPoems(results);
                out.printf(
                    Locale.ROOT,
                    "   %d poems, %d bytes in %s; the slow server set the pace.%n%n",
                    poems,
                    bytes,
                    time(took));
                out.println("2. The slow server's poem through the caching proxy, twice more:");
                return fetchThroughProxy(1);
              })
          .addCallbackDeferred(ignored -> fetchThroughProxy(2))
          .addCallback(ignored -> summary());
    }

    /** Prints each poem under the address it came from, indented; failures go to stderr. */
    private int printPoems(List<Downloads.Result> results) {
      int failed = 0;
      for (Downloads.Result r : results) {
        if (r.note() != null) {
          env.err().println(r.source() + ": " + r.note());
        }
        if (!r.ok()) {
          failed++;
          env.err().println(r.source() + ": " + r.error());
          continue;
        }
        String from =
            r.source() instanceof Source.PoetryServer server
                    && server.address().equals(proxyAddress)
                ? ", through the proxy"
                : "";
        out.printf(Locale.ROOT, "  from %s (%d bytes%s):%n", r.source(), r.bytes(), from);
        for (String line : r.text().strip().split("\n", -1)) {
          out.println(line.isEmpty() ? "" : "    " + line);
        }
        out.println();
      }
      out.flush();
      return failed;
    }

    private Deferred<Void> fetchThroughProxy(int n) {
      long hitsBefore = proxy.cacheHitCount();
      double t = reactor.seconds();
      return PoetryClient.fetch(reactor, proxyAddress.host(), proxyAddress.port(), null)
          .addTimeout(TIMEOUT, reactor)
          .addCallbacks(
              poem -> {
                poems++;
                bytes += poem.length;
                boolean same = Arrays.equals(poem, slowPoem.bytes());
                boolean cached = proxy.cacheHitCount() > hitsBefore;
                if (!same) {
                  failures++;
                }
                out.printf(
                    Locale.ROOT,
                    "   fetch %d: %d bytes in %s, %s%s%n",
                    n,
                    poem.length,
                    time(reactor.seconds() - t),
                    cached ? "from the cache" : "fetched from the server",
                    same ? "; the same bytes the server sends" : "; NOT the server's poem");
                return null;
              },
              failure -> {
                failures++;
                env.err()
                    .println(
                        proxyAddress + ": " + Failures.describe(proxyAddress.toString(), failure));
                return null;
              });
    }

    private boolean summary() {
      long direct = slowServer.connectionCount();
      out.println();
      out.printf(
          Locale.ROOT,
          "Summary: %d poems (%d bytes) in %s s; %d of 4 cummingsified; %d failed.%n",
          poems,
          bytes,
          seconds(reactor.seconds() - started),
          transformed,
          failures);
      out.printf(
          Locale.ROOT,
          "The proxy fetched from %s %s and answered %d of its %d requests from its cache;"
              + " the slow server saw %d connections in all.%n",
          servers[2],
          proxy.fetchCount() == 1 ? "once" : proxy.fetchCount() + " times",
          proxy.cacheHitCount(),
          proxy.cacheHitCount() + proxy.fetchCount(),
          direct);
      out.flush();
      return failures == 0 && transformed == 4;
    }

    private Address listen(dev.braid.net.Factory factory) {
      ListeningPort port = reactor.listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, LOCALHOST);
      return new Address(LOCALHOST, port.getHost().getPort());
    }

    private void row(String what, Address where, String detail) {
      out.printf(Locale.ROOT, "  %-17s %-16s %s%n", what, where, detail);
    }

    private static String seconds(Duration d) {
      return seconds(d.toNanos() / 1e9);
    }

    private static String time(double s) {
      return s < 1
          ? String.format(Locale.ROOT, "%d ms", Math.round(s * 1000))
          : String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String seconds(double s) {
      return String.format(Locale.ROOT, "%.2f", s);
    }
  }
}
