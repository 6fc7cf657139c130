package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.net.Addresses;
import dev.braid.net.BaseProtocol;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.LogLimiter;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.protocols.ConnectionLimits;
import dev.braid.protocols.Policies;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The options of every server: where to listen, the limits every connection is held to ({@code
 * --max-connections}, {@code --idle-timeout}), applied by {@link #guard}, and how long shutdown
 * waits for the connections in flight ({@code --shutdown-grace}, used by {@link Servers}).
 */
final class Listen {
  private static final Logger LOG = LoggerFactory.getLogger(Listen.class);

  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "0",
      converter = Converters.ListenPort.class,
      description = "The port to listen on; 0 (the default) picks a free one.")
  int port;

  @Option(
      names = "--iface",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "The interface to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 for all.")
  String iface;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description =
          "Serve at most N clients at once; a client that connects while N are being served is"
              + " reset at once, without a reply (so a poetry client sees a failure, not an empty"
              + " poem), and logged, at most one line every 10 seconds (the next line says how many"
              + " were left out). Default: no limit.")
  Integer maxConnections;

  @Option(
      names = "--idle-timeout",
      paramLabel = "SECONDS",
      converter = Converters.PositiveSeconds.class,
      description =
          "Close a connection after SECONDS with nothing received or sent (decimals allowed)."
              + " Poetry servers (serve, proxy) reset it, since a clean close would end the poem;"
              + " netstring servers close it, and reset it if it is still there after as long"
              + " again (a client that does not read). Default: none.")
  Duration idleTimeout;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "SECONDS",
      defaultValue = "5",
      converter = Converters.Seconds.class,
      description =
          "On Ctrl-C or SIGTERM, stop accepting and give the poems and replies in flight up to"
              + " SECONDS to finish (default: ${DEFAULT-VALUE}; decimals allowed), then reset the"
              + " connections still open, so that their clients see a failure rather than a cut"
              + " poem. 0 resets them at once.")
  Duration shutdownGrace;

  /**
   * Listens with {@code factory} (already guarded) on the port and interface asked for; the
   * connections are tracked by {@code drain}, which closes the port when shutdown begins.
   */
  ListeningPort listen(ReactorTcp reactor, ConnectionDrain drain, Factory factory) {
    return drain.addPort(
        reactor.listenTCP(port, drain.track(factory), ReactorTcp.DEFAULT_BACKLOG, iface));
  }

  /**
   * Wraps a netstring server's factory with the limits asked for: the connection cap outermost (so
   * a client over it costs nothing but the accept), then the idle timeout, which closes cleanly (a
   * netstring client knows a reply is missing).
   */
  Factory guard(Factory factory, Clock clock) {
    return limit(idleTimeout == null ? factory : Policies.idleTimeout(factory, clock, idleTimeout));
  }

  /**
   * Wraps a poetry server's factory (serve, proxy) with the limits asked for. Its idle timeout
   * resets: in the poetry protocol a clean close is the end of the poem, so closing an idle
   * connection cleanly would hand the client a truncated poem (or an empty one, from a proxy still
   * waiting on its upstream) as a whole one.
   */
  Factory guardPoetry(Factory factory, Clock clock) {
    return limit(idleTimeout == null ? factory : Policies.idleReset(factory, clock, idleTimeout));
  }

  private Factory limit(Factory factory) {
    Factory guarded = factory;
    if (maxConnections != null) {
      int max = maxConnections;
      LogLimiter refusals = LogLimiter.create(LOG::info);
      guarded =
          Policies.limitConnections(guarded, ConnectionLimits.total(max))
              .withOverflow(
                  address -> {
                    refusals.log(
                        () ->
                            "Refused a connection from "
                                + Addresses.describe(address)
                                + ": already serving "
                                + max
                                + (max == 1 ? " client" : " clients")
                                + " (--max-connections "
                                + max
                                + ")");
                    return new ResetAtOnce();
                  });
    }
    return guarded;
  }

  /**
   * The protocol of a connection over {@code --max-connections}: resets it at once. A clean close
   * would read as an empty poem to a poetry client (the protocol's known limit); a reset is a
   * failure everywhere, as the proxy's resets are (ADR 0004).
   */
  static final class ResetAtOnce extends BaseProtocol {
    @Override
    protected void connectionMade() {
      transport().abortConnection();
    }
  }
}
