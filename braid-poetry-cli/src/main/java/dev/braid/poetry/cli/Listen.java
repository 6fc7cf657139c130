package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.net.Addresses;
import dev.braid.net.BaseProtocol;
import dev.braid.net.Factory;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.LogLimiter;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.protocols.ConnectionLimits;
import dev.braid.protocols.Policies;
import dev.braid.protocols.SharedConnectionLimit;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import dev.braid.tls.Tls;
import dev.braid.tls.TlsException;
import dev.braid.tls.TlsServerOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The options of every server: where to listen, on how many reactors ({@code --reactors}), whether
 * with TLS ({@code --tls-cert}, {@code --tls-key}), the limits every connection is held to ({@code
 * --max-connections}, across the reactors, and {@code --idle-timeout}), applied by {@link #guard},
 * and how long shutdown waits for the connections in flight ({@code --shutdown-grace}, used by
 * {@link Servers}).
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

  /** The most reactors a server may be asked to run. */
  static final int MAX_REACTORS = 256;

  @Option(
      names = "--reactors",
      paramLabel = "N",
      converter = Converters.Reactors.class,
      description =
          "Serve on N reactors, one thread each, sharing the port; each connection is served from"
              + " start to end by one of them (1 to "
              + MAX_REACTORS
              + "; default: the number of available processors; 1 serves on one thread). The"
              + " startup line says how many.")
  Integer reactors;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description =
          "Serve at most N clients at once, across every reactor; a client that connects while N are being served is"
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

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Listen with TLS only, presenting the certificate chain of FILE (PEM: the certificate"
              + " first, then its intermediates, as Let's Encrypt's fullchain.pem); needs"
              + " --tls-key. Clients connect with tls:HOST:PORT.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description =
          "The private key of --tls-cert (PEM: PKCS#8 as Let's Encrypt's privkey.pem, or"
              + " PKCS#1/SEC1 as older openssl writes; not encrypted). A failed handshake closes"
              + " that connection and is logged with the client and the reason, at most one line"
              + " every 10 seconds for each kind of failure.")
  Path tlsKey;

  private TlsServerOptions tls;

  /** Shared by the reactors' limiters, made on first use. */
  private SharedConnectionLimit sharedLimit;

  private LogLimiter refusals;

  /** {@return how many reactors to serve on: {@code --reactors}, or the number of processors} */
  int reactors() {
    return reactors != null ? reactors : Runtime.getRuntime().availableProcessors();
  }

  /**
   * Listens on the port and interface asked for, from every reactor of {@code group}, each with the
   * factory {@code setup} builds for it; each reactor's connections are tracked by its drain, which
   * closes that reactor's port when shutdown begins.
   */
  GroupPort listen(
      ReactorGroup group, Map<SelectorReactor, ConnectionDrain> drains, Servers.Setup setup) {
    GroupPort listening =
        group.listenTCP(
            port,
            reactor -> {
              ConnectionDrain drain = drains.get(reactor);
              try {
                return drain.track(setup.factory(reactor, drain));
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
            },
            ReactorTcp.DEFAULT_BACKLOG,
            iface);
    for (SelectorReactor reactor : group.reactors()) {
      drains.get(reactor).addPort(listening.portOf(reactor));
    }
    return listening;
  }

  /**
   * Says what is wrong with the TLS options, or returns null: the certificate and the key come
   * together.
   */
  String tlsUsageError() {
    if (tlsCert != null && tlsKey == null) {
      return "--tls-cert needs --tls-key, the certificate's private key (PEM)";
    }
    if (tlsKey != null && tlsCert == null) {
      return "--tls-key needs --tls-cert, the certificate chain (PEM)";
    }
    return null;
  }

  /**
   * Reads the certificate and key of {@code --tls-cert} and {@code --tls-key}, once.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   * @throws java.io.UncheckedIOException if a file cannot be read
   */
  private TlsServerOptions tls() {
    if (tls == null && tlsCert != null) {
      tls = TlsServerOptions.fromPem(tlsCert, tlsKey);
    }
    return tls;
  }

  /** Where the server listens, for its banner: {@code HOST:PORT}, then "with TLS" if it does. */
  String where(InetSocketAddress host) {
    return Addresses.describe(host) + (tlsCert != null ? " with TLS" : "");
  }

  /**
   * Wraps a netstring server's factory with the limits asked for: the connection cap outermost (so
   * a client over it costs nothing but the accept, not even a TLS handshake), then TLS if asked,
   * then the idle timeout, which closes cleanly (a netstring client knows a reply is missing).
   */
  Factory guard(Factory factory, Clock clock) {
    return limit(
        secure(
            idleTimeout == null ? factory : Policies.idleTimeout(factory, clock, idleTimeout),
            clock));
  }

  /**
   * Wraps a poetry server's factory (serve, proxy) with the limits asked for. Its idle timeout
   * resets: in the poetry protocol a clean close is the end of the poem, so closing an idle
   * connection cleanly would hand the client a truncated poem (or an empty one, from a proxy still
   * waiting on its upstream) as a whole one.
   */
  Factory guardPoetry(Factory factory, Clock clock) {
    return limit(
        secure(
            idleTimeout == null ? factory : Policies.idleReset(factory, clock, idleTimeout),
            clock));
  }

  /**
   * Wraps the factory in TLS if {@code --tls-cert} was given; each failed handshake is logged
   * (rate-limited), naming the client and the reason.
   */
  private Factory secure(Factory factory, Clock clock) {
    TlsServerOptions options = tls();
    if (options == null) {
      return factory;
    }
    // One limiter per kind, so that a flood of one kind (port scanners) hides no other.
    Map<TlsException.Kind, LogLimiter> failures = new EnumMap<>(TlsException.Kind.class);
    return Tls.serverFactory(clock, options, factory)
        .onHandshakeFailure(
            failure ->
                failures
                    .computeIfAbsent(failure.kind(), kind -> LogLimiter.create(LOG::info))
                    .log(failure::getMessage));
  }

  /**
   * Wraps one reactor's factory in the connection cap, whose count is shared by every reactor's
   * (the cap holds for the server as a whole), as is its log of refusals.
   */
  private Factory limit(Factory factory) {
    Factory guarded = factory;
    if (maxConnections != null) {
      int max = maxConnections;
      if (sharedLimit == null) {
        sharedLimit = SharedConnectionLimit.of(ConnectionLimits.total(max));
        refusals = LogLimiter.create(LOG::info);
      }
      LogLimiter refusals = this.refusals;
      guarded =
          sharedLimit
              .limit(guarded)
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
