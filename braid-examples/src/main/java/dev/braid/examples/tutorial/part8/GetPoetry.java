package dev.braid.examples.tutorial.part8;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.examples.tutorial.Address;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.Tasks;
import java.util.ArrayList;
import java.util.List;

/**
 * Part 8's client 4.0 ({@code twisted-client-4/get-poetry.py}): downloads a poem from each server
 * at once and prints them when all are done, in the order they arrived. {@code getPoetry} returns a
 * Deferred of the poem instead of taking a callback and an errback; {@code poetryMain} attaches
 * {@code gotPoem} and {@code poemFailed} as a pair, and {@code poemDone} to both sides after them.
 *
 * <p>{@code bin/example tutorial.part8.GetPoetry [HOST:]PORT...}: poems on standard output, each
 * failure on standard error. Exit status 0.
 */
public final class GetPoetry {
  private GetPoetry() {}

  /**
   * Downloads a poem from the given host and port.
   *
   * @param reactor connects
   * @param host the server's host
   * @param port the server's port
   * @return a Deferred fired with the complete text of the poem, or failed if the poem could not be
   *     downloaded
   */
  public static Deferred<String> getPoetry(ReactorTcp reactor, String host, int port) {
    PoetryClientFactory factory = new PoetryClientFactory();
    reactor.connectTCP(host, port, factory);
    return factory.deferred();
  }

  /**
   * Starts every download; the Deferred it returns fires when the last one is done, which stops the
   * reactor.
   */
  static Deferred<Void> poetryMain(Reactor reactor, List<Address> addresses, List<String> poems) {
    List<Failure> errors = new ArrayList<>();
    Deferred<Void> allDone = Deferred.create();
    for (Address address : addresses) {
      getPoetry(reactor, address.host(), address.port())
          .addCallbacks(
              poem -> { // got_poem
                poems.add(poem);
                return null;
              },
              err -> { // poem_failed
                System.err.println("Poem failed: " + err.getErrorMessage());
                errors.add(err);
                return null;
              })
          .addBoth(
              ignored -> { // poem_done
                if (poems.size() + errors.size() == addresses.size()) {
                  allDone.callback(null); // the tutorial's reactor.stop()
                }
                return null;
              });
    }
    return allDone;
  }

  /**
   * Downloads the poems, then prints them.
   *
   * @param args the servers, {@code [HOST:]PORT} each
   */
  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: bin/example tutorial.part8.GetPoetry [HOST:]PORT...");
      System.exit(2);
    }
    List<Address> addresses = List.of(args).stream().map(Address::parse).toList();
    List<String> poems = new ArrayList<>();
    int status = Tasks.react(reactor -> poetryMain(reactor, addresses, poems));
    for (String poem : poems) {
      System.out.println(poem);
    }
    System.exit(status);
  }
}
