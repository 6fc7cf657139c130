package dev.braid.poetry.cli;

import dev.braid.net.Factory;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.reactor.SelectorReactor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code poetry serve}: the poetry server (the tutorial's fast and slow servers in one). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    header = "Serve one poem to every client, all at once or slowly.",
    versionProvider = Version.class,
    description = {
      "Serve one poem: each client that connects receives FILE's bytes, then the server closes"
          + " the connection. With --delay, the poem goes out --num-bytes at a time, one piece"
          + " every --delay seconds (the tutorial's slow server).",
      "Prints 'Serving FILE on HOST:PORT (N reactors).' once listening; runs until Ctrl-C."
    },
    footer = {
      "",
      "Examples:",
      "  poetry serve --port 10000 poem.txt",
      "  poetry serve --port 10001 --delay 0.5 --num-bytes 20 poem.txt",
      "  poetry serve --port 10443 --tls-cert fullchain.pem --tls-key privkey.pem poem.txt"
    })
final class ServeCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Mixin Listen listen;

  @Option(
      names = "--delay",
      paramLabel = "SECONDS",
      defaultValue = "0",
      converter = Converters.Seconds.class,
      description = "Seconds between two pieces of the poem; 0 (the default) sends it all at once.")
  Duration delay;

  @Option(
      names = "--num-bytes",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "Bytes per piece; needs --delay (default: " + DEFAULT_NUM_BYTES + ").")
  Integer numBytes;

  static final int DEFAULT_NUM_BYTES = 10;

  @Parameters(
      paramLabel = "FILE",
      description = "The poem to serve; its bytes are sent as they are, in any encoding.")
  Path file;

  @Override
  public Integer call() {
    Env env = parent.env;
    if (listen.tlsUsageError() != null) {
      env.err().println("poetry serve: " + listen.tlsUsageError() + " (see 'poetry serve --help')");
      return Cli.USAGE;
    }
    if (numBytes != null && delay.isZero()) {
      env.err()
          .println(
              "poetry serve: --num-bytes needs a --delay above 0: without one the poem is sent all at"
                  + " once (see 'poetry serve --help')");
      return Cli.USAGE;
    }
    byte[] poem;
    try {
      poem = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return cannotRead(env, "no such file");
    } catch (AccessDeniedException e) {
      return cannotRead(env, "permission denied");
    } catch (IOException e) {
      return cannotRead(env, Failures.oneLine(String.valueOf(e.getMessage())));
    }
    Pacing pacing =
        delay.isZero()
            ? Pacing.atOnce()
            : Pacing.chunks(numBytes == null ? DEFAULT_NUM_BYTES : numBytes, delay);
    PoetryService service = PoetryService.of(poem, pacing);
    return Servers.run(
        env,
        "poetry serve",
        listen,
        new Servers.Setup() {
          @Override
          public Factory factory(SelectorReactor reactor, ConnectionDrain drain) {
            return listen.guardPoetry(PoetryServerFactory.create(service, reactor), reactor);
          }

          @Override
          public String banner(String address, String reactors) {
            return "Serving " + file + " on " + address + " (" + reactors + ").";
          }
        });
  }

  private int cannotRead(Env env, String why) {
    env.err().println("poetry serve: cannot read " + file + ": " + why);
    return Cli.FAILED;
  }
}
