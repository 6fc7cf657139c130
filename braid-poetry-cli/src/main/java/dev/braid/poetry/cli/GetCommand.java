package dev.braid.poetry.cli;

import dev.braid.reactor.SelectorReactor;
import dev.braid.reactor.Tasks;
import dev.braid.tls.TlsClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code poetry get}: the poetry client (the tutorial's client 6.0, with its exercises). */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    header = "Download poems in parallel, optionally transformed.",
    versionProvider = Version.class,
    description = {
      "Download poems from every SOURCE in parallel and print them to standard output in the order"
          + " given. A SOURCE is a poetry server, [host:]port, or tls:[host:]port for one that"
          + " speaks TLS, or a web page, http:// or https:// (redirects are followed; a status"
          + " other than 2xx is a failure).",
      "A tls: server's certificate must be valid for its host name and chain to the JDK's"
          + " default roots, or to --tls-ca's; a server that fails this, or a poem cut without"
          + " TLS's close_notify, is a failed download.",
      "With both --xform and --xform-server, each poem is transformed through the transform"
          + " server; when that fails the original poem is printed, with a note on standard error."
          + " A download that fails is reported on standard error as 'SOURCE: why' while the others"
          + " still print.",
      "On a terminal (standard output and standard error both), live progress is shown per"
          + " server; never when output is redirected.",
      "Standard output gets the poems' bytes as they came, whatever their encoding: with one"
          + " SOURCE exactly its bytes, nothing added; with several, each poem followed by a"
          + " newline if it lacks one, and a blank line between two poems.",
      "Exit status: 0 when every poem arrived, 1 when any download failed, 2 for a usage error."
    },
    footer = {
      "",
      "Examples:",
      "  poetry get 10000 10001",
      "  poetry get --xform cummingsify --xform-server 10002 10000 example.org:10001",
      "  poetry get --timeout 2.5 10000",
      "  poetry get 10000 https://example.org/poems/ozymandias.txt",
      "  poetry get --tls-ca ca.pem tls:localhost:10443"
    })
final class GetCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Option(
      names = "--xform",
      paramLabel = "NAME",
      description =
          "Transform each poem with NAME (cummingsify, shout, reverse or fail on Braid's server);"
              + " needs --xform-server. Transforms work on UTF-8 text: a poem that is not UTF-8,"
              + " or whose request (name, '.' and poem) is over the transform protocol's limit of"
              + " 99,999 bytes, is printed as it came, with a note on standard error.")
  String xform;

  @Option(
      names = "--xform-server",
      paramLabel = "ADDR",
      converter = Converters.ServerAddress.class,
      description = "The transform server, [host:]port or tls:[host:]port; needs --xform.")
  Address xformServer;

  @Mixin TlsCa tlsCa;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      converter = Converters.Seconds.class,
      description =
          "Fail a download (closing its connection) that has not finished in SECONDS; also limits"
              + " each transform request. SECONDS is a number, decimals allowed (2.5); 0, the"
              + " default, means no limit.")
  Duration timeout;

  @Option(
      names = "--max-poem-size",
      paramLabel = "SIZE",
      defaultValue = "64M",
      converter = Converters.PoemSize.class,
      description =
          "Stop a download, as failed, once its poem is larger than SIZE: bytes, or a number with"
              + " K, M or G (powers of 1024), up to 2G (default: ${DEFAULT-VALUE}). Poems are held"
              + " in memory until printed; see also POETRY_JAVA_OPTS=-Xmx.")
  long maxPoemSize;

  @Parameters(
      paramLabel = "SOURCE",
      arity = "1..*",
      description =
          "Poetry servers, [host:]port or tls:[host:]port (host: 127.0.0.1 by default), or web"
              + " pages, http(s)://...")
  List<String> addressArgs = new ArrayList<>();

  @Override
  public Integer call() {
    Env env = parent.env;
    // Converted here rather than by picocli, which reports a bad value after a good one as an
    // "unmatched argument" instead of saying what is wrong with it.
    TlsClientOptions trust;
    try {
      trust = tlsCa.options();
    } catch (IllegalArgumentException e) {
      return usage(env, e.getMessage());
    }
    List<Source> sources = new ArrayList<>();
    for (String arg : addressArgs) {
      try {
        sources.add(Source.parse(arg, trust));
      } catch (IllegalArgumentException e) {
        return usage(env, e.getMessage());
      }
    }
    if (xform != null && xform.contains(".")) {
      return usage(env, "invalid transform name '" + xform + "': it cannot contain '.'");
    }
    if (xform != null && xformServer == null) {
      return usage(env, "--xform needs --xform-server, the transform server's [host:]port");
    }
    if (xformServer != null && xform == null) {
      return usage(env, "--xform-server needs --xform, the name of the transform");
    }
    Downloads.Xform chosen = xform == null ? null : new Downloads.Xform(xform, xformServer, trust);
    Duration limit = timeout == null || timeout.isZero() ? null : timeout;
    int[] failed = {sources.size()};
    SelectorReactor reactor = env.reactors().get();
    if (env.shutdownHook()) {
      reactor.installShutdownHook(Duration.ofSeconds(5));
    }
    List<String> labels = sources.stream().map(Source::toString).toList();
    int status =
        Tasks.react(
            reactor,
            r -> {
              ProgressDisplay progress =
                  env.terminal()
                      ? ProgressDisplay.live(env.err(), r, labels)
                      : ProgressDisplay.disabled();
              return Downloads.start(reactor, sources, chosen, limit, maxPoemSize, progress)
                  .addCallback(
                      results -> {
                        progress.close();
                        failed[0] = Downloads.print(results, env.out(), env.err());
                        return null;
                      });
            },
            env.err());
    return status != 0 || failed[0] > 0 ? Cli.FAILED : Cli.OK;
  }

  private static int usage(Env env, String message) {
    env.err().println("poetry get: " + message + " (see 'poetry get --help')");
    return Cli.USAGE;
  }
}
