package dev.braid.poetry.cli;

import dev.braid.reactor.IoBackend;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top command, {@code poetry}: only names its subcommands. */
@Command(
    name = "poetry",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "The poetry suite of the Twisted tutorial, on Braid: poetry servers, a client, a transform"
          + " service and a caching proxy.",
      "",
      "Addresses are [host:]port; the host defaults to 127.0.0.1. Exit status: 0 success, 1 a"
          + " poem or request failed, 2 a usage error."
    },
    subcommands = {
      ServeCommand.class,
      TransformServerCommand.class,
      GetCommand.class,
      ProxyCommand.class,
      TransformProxyCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      PendingCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  poetry demo",
      "  poetry serve --port 10000 poem.txt",
      "  poetry serve --port 10001 --delay 0.1 --num-bytes 20 poem.txt",
      "  poetry transform-server --port 10002",
      "  poetry get 10000 10001",
      "  poetry get --xform cummingsify --xform-server 10002 --timeout 5 10000 10001",
      "  poetry proxy --port 10003 --ttl 30m 10001",
      "  poetry transform-proxy --port 10004 10002",
      "  poetry simulate --seeds 1000",
      "  poetry pending 12345",
      "",
      "Run 'poetry COMMAND --help' for a command's options."
    })
final class PoetryCommand implements Callable<Integer> {
  /** Where the command runs; {@code --transport} replaces it with one on that transport. */
  Env env;

  PoetryCommand(Env env) {
    this.env = env;
  }

  @Option(
      names = "--transport",
      scope = ScopeType.INHERIT,
      paramLabel = "native|nio",
      converter = Converters.Transport.class,
      description =
          "How the reactor does its I/O: native (Linux's epoll, called directly; the default where"
              + " it loads) or nio (the JDK's channels; the default elsewhere).")
  void transport(IoBackend backend) {
    env = env.withTransport(backend);
  }

  @Override
  public Integer call() {
    env.err()
        .println(
            "poetry: missing command: serve, transform-server, get, proxy, transform-proxy, demo,"
                + " simulate or pending (see 'poetry --help')");
    return Cli.USAGE;
  }
}
