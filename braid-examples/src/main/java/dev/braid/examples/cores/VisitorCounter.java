package dev.braid.examples.cores;

import dev.braid.defer.Deferred;
import dev.braid.defer.Handoff;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Shared state, the first way: an owner reactor that the others message. A visitor counter lives on
 * the group's first reactor and is touched on its thread only, so it needs no lock; a connection
 * accepted by any reactor asks the owner for its number with {@code Handoff.call} and gets the
 * answer back on its own reactor, where it writes it to its client.
 *
 * <p>{@code bin/example cores.VisitorCounter [PORT]}: four reactors on port 10000 by default (0 for
 * any free port); each client reads one line, {@code visitor N, served by braid-reactor-K}.
 */
public final class VisitorCounter {
  private VisitorCounter() {}

  /** The shared state: used on its owner reactor's thread only. */
  static final class Counter {
    private long visits;

    Deferred<Long> next() {
      return Deferred.succeed(++visits);
    }
  }

  /**
   * Counts visitors until stopped.
   *
   * @param args the port, optional
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
    ReactorGroup group = ReactorGroup.create(4);
    SelectorReactor owner = group.reactor(0);
    Counter counter = new Counter();
    GroupPort listening =
        group.listenTCP(
            port,
            reactor ->
                address ->
                    new BaseProtocol() {
                      @Override
                      protected void connectionMade() {
                        // Asked on the owner's thread, answered on this connection's.
                        Handoff.call(owner::callFromThread, counter::next, reactor::callFromThread)
                            .addCallback(
                                visitor -> {
                                  String line =
                                      "visitor "
                                          + visitor
                                          + ", served by "
                                          + Thread.currentThread().getName()
                                          + "\n";
                                  if (isConnected()) {
                                    transport().write(line.getBytes(StandardCharsets.UTF_8));
                                    transport().loseConnection();
                                  }
                                  return null;
                                });
                      }
                    },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    System.out.println(
        "Counting visitors on port "
            + listening.getHost().getPort()
            + " with "
            + group.size()
            + " reactors");
    group.installShutdownHook(Duration.ofSeconds(10)); // Ctrl-C stops every reactor
    group.run();
  }
}
