package dev.braid.examples.readme;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ListeningPort;
import dev.braid.poetry.Poems;
import dev.braid.reactor.SelectorReactor;
import java.time.Duration;

/**
 * The README's reactor snippet: a server that writes a poem to each client and closes the
 * connection, on the reactor's thread, until Ctrl-C or SIGTERM.
 *
 * <p>{@code bin/example readme.PoemServer [PORT]}: port 10000 by default, 0 for any free port.
 */
public final class PoemServer {
  private PoemServer() {}

  /**
   * Serves the poem until stopped.
   *
   * @param args the port, optional
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
    byte[] poem = Poems.named("the_reactor").bytes();

    // tag::readme-reactor[]
    SelectorReactor reactor = SelectorReactor.create();
    ListeningPort listening =
        reactor.listenTCP(
            port,
            address ->
                new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport().write(poem);
                    transport().loseConnection();
                  }
                });
    System.out.println("Serving a poem on port " + listening.getHost().getPort());
    reactor.installShutdownHook(Duration.ofSeconds(10)); // Ctrl-C stops it gracefully
    reactor.run();
    // end::readme-reactor[]
  }
}
