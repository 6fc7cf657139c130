package dev.braid.poetry.cli;

import dev.braid.net.Factory;
import dev.braid.poetry.LogLimiter;
import dev.braid.poetry.TransformProxy;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.SelectorReactor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code poetry transform-proxy}: a transform service that forwards to another server. */
@Command(
    name = "transform-proxy",
    mixinStandardHelpOptions = true,
    header = "Forward transform requests to another transform server.",
    versionProvider = Version.class,
    description = {
      "A transform service that forwards each request to another transform server (Part 14,"
          + " exercise 4): clients speak to it exactly as to a transform server. A client that"
          + " disconnects before the reply cancels its forwarded request.",
      "Limits, as the transform server's: a request is at most 99,999 bytes and must be UTF-8"
          + " text; a refused one closes the connection without a reply and is logged with its"
          + " reason, at most one line every 10 seconds.",
      "Runs until Ctrl-C."
    },
    footer = {"", "Example:", "  poetry transform-proxy --port 10004 10001"})
final class TransformProxyCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Mixin Listen listen;

  @Mixin FrameTimeout frames;

  @Mixin TlsCa tlsCa;

  @Parameters(
      paramLabel = "SERVER",
      converter = Converters.ServerAddress.class,
      description =
          "The transform server to forward to, [host:]port, or tls:[host:]port if it speaks TLS.")
  Address server;

  @Override
  public Integer call() {
    if (listen.tlsUsageError() != null) {
      parent
          .env
          .err()
          .println(
              "poetry transform-proxy: "
                  + listen.tlsUsageError()
                  + " (see 'poetry transform-proxy --help')");
      return Cli.USAGE;
    }
    LogLimiter rejections = TransformServerFactory.rejectionLog();
    return Servers.run(
        parent.env,
        "poetry transform-proxy",
        listen,
        new Servers.Setup() {
          @Override
          public Factory factory(SelectorReactor reactor, ConnectionDrain drain) {
            // Each reactor forwards its own clients' requests: from that reactor, to the server.
            TransformProxy upstream =
                TransformProxy.create(
                    server.dialer(reactor, tlsCa.options()), server.host(), server.port());
            return listen.guard(
                frames.guard(TransformServerFactory.create(upstream, rejections), reactor),
                reactor);
          }

          @Override
          public String banner(String address, String reactors) {
            return "Proxying transforms on " + address + " for " + server + " (" + reactors + ").";
          }
        });
  }
}
