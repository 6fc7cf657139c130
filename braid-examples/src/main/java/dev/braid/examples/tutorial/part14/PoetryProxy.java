package dev.braid.examples.tutorial.part14;

import dev.braid.defer.Deferred;
import dev.braid.examples.tutorial.Address;
import dev.braid.net.BaseProtocol;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.PoetryClient;
import dev.braid.reactor.SelectorReactor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Part 14's poetry proxy 2.0 ({@code twisted-server-2/poetry-proxy.py}): a poetry server whose poem
 * is another server's, fetched on the first request and cached from then on. {@code getPoem} is
 * asynchronous only some of the time, and says so by always returning a Deferred: one already fired
 * ({@code Deferred.succeed}) when the poem is cached, one that fires when the fetch is done
 * otherwise. The protocol adds the same callbacks either way.
 *
 * <p>Proxy 1.0's {@code get_poem} returned the poem itself when cached and a Deferred otherwise,
 * and its protocol wrapped the call in {@code maybeDeferred}. A Java method has one return type, so
 * that shape does not arise; Braid's {@code Deferred.maybeDeferred} is for a function that returns
 * a plain value or throws ({@link FiredDeferred} shows it). As in the tutorial, a failed fetch
 * closes the client's connection with no poem (Braid's own proxy, {@code ProxyService}, resets it
 * instead, and adds the part's exercises 2 to 4: a time to live, a single fetch for many waiting
 * clients, and a transform proxy).
 *
 * <p>{@code bin/example tutorial.part14.PoetryProxy [--port PORT] [HOST:]PORT}: listens on
 * 127.0.0.1 (any free port by default) until Ctrl-C or SIGTERM.
 */
public final class PoetryProxy {
  private PoetryProxy() {}

  /** The proxy's state: the cached poem, if any, and where to fetch it. Reactor thread only. */
  static final class ProxyService {
    private final ReactorTcp reactor;
    private final Address server;
    private String poem; // the cached poem

    ProxyService(ReactorTcp reactor, Address server) {
      this.reactor = reactor;
      this.server = server;
    }

    Deferred<String> getPoem() {
      if (poem != null) {
        System.out.println("Using cached poem.");
        return Deferred.succeed(poem); // an already-fired Deferred
      }
      System.out.println("Fetching poem from server.");
      return PoetryClient.getPoetry(reactor, server.host(), server.port())
          .addCallback(this::setPoem);
    }

    private String setPoem(String poem) {
      this.poem = poem;
      return poem;
    }
  }

  /** Sends each client the poem, then closes the connection. */
  static final class PoetryProxyProtocol extends BaseProtocol {
    private final ProxyService service;

    PoetryProxyProtocol(ProxyService service) {
      this.service = service;
    }

    @Override
    protected void connectionMade() {
      Deferred<String> d = service.getPoem();
      d.addCallback(
              poem -> {
                transport().write(poem.getBytes(StandardCharsets.UTF_8));
                return null;
              })
          .addBoth(
              ignored -> {
                transport().loseConnection();
                return null;
              });
    }
  }

  /** Makes a protocol per client, all sharing the service. */
  record PoetryProxyFactory(ProxyService service) implements Factory {
    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return new PoetryProxyProtocol(service);
    }
  }

  /**
   * Runs the proxy until stopped.
   *
   * @param args {@code [--port PORT]}, then the poetry server to proxy
   */
  public static void main(String[] args) {
    int port = 0;
    Address server = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--port") && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else {
        server = Address.parse(args[i]);
      }
    }
    if (server == null) {
      System.err.println(
          "usage: bin/example tutorial.part14.PoetryProxy [--port PORT] [HOST:]PORT");
      System.exit(2);
    }
    SelectorReactor reactor = SelectorReactor.create();
    ProxyService service = new ProxyService(reactor, server);
    ListeningPort listening =
        reactor.listenTCP(
            port, new PoetryProxyFactory(service), ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
    System.out.println(
        "Proxying poetry on 127.0.0.1:"
            + listening.getHost().getPort()
            + " for the server on "
            + server
            + ".");
    reactor.installShutdownHook(Duration.ofSeconds(10)); // Ctrl-C stops it gracefully
    reactor.run();
  }
}
