package dev.braid.poetry.cli;

import dev.braid.net.Factory;
import dev.braid.poetry.LogLimiter;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.SelectorReactor;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code poetry transform-server}: the netstring transform service. */
@Command(
    name = "transform-server",
    mixinStandardHelpOptions = true,
    header = "Serve poem transforms over netstrings.",
    versionProvider = Version.class,
    description = {
      "Serve poem transforms over netstrings: a client sends NAME.POEM (UTF-8) as one netstring"
          + " and gets the transformed poem back as one netstring, then the server closes. An"
          + " unknown transform, a failing one or a request without '.' closes the connection"
          + " without a reply.",
      "Limits: a request is at most 99,999 bytes (the netstring maximum). Transforms work on"
          + " UTF-8 text: a request that is not UTF-8 is refused, never altered. A refused request"
          + " closes the connection without a reply and is logged with its reason, at most one"
          + " line every 10 seconds (the next line says how many were left out).",
      "Transforms: cummingsify (lower-case), shout (UPPER-CASE), reverse (each line backwards),"
          + " fail (always fails).",
      "Runs until Ctrl-C."
    },
    footer = {"", "Example:", "  poetry transform-server --port 10001"})
final class TransformServerCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Mixin Listen listen;

  @Mixin FrameTimeout frames;

  @Override
  public Integer call() {
    if (listen.tlsUsageError() != null) {
      parent
          .env
          .err()
          .println(
              "poetry transform-server: "
                  + listen.tlsUsageError()
                  + " (see 'poetry transform-server --help')");
      return Cli.USAGE;
    }
    TransformService service = TransformService.standard();
    LogLimiter rejections = TransformServerFactory.rejectionLog();
    return Servers.run(
        parent.env,
        "poetry transform-server",
        listen,
        new Servers.Setup() {
          @Override
          public Factory factory(SelectorReactor reactor, ConnectionDrain drain) {
            return listen.guard(
                frames.guard(TransformServerFactory.create(service, rejections), reactor), reactor);
          }

          @Override
          public String banner(String address, String reactors) {
            return "Transforming poems on "
                + address
                + " ("
                + String.join(", ", service.descriptions().keySet())
                + "; "
                + reactors
                + ").";
          }
        });
  }
}
