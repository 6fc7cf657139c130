package dev.braid.examples.tutorial.part8;

import dev.braid.defer.Deferred;
import dev.braid.examples.tutorial.Address;
import dev.braid.net.Reactor;
import dev.braid.reactor.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Part 8's exercises on client 4.0: (1) a download that takes longer than a timeout fails with an
 * exception of its own, and its connection is closed; (2) a failed download names its server.
 *
 * <p>The timeout is the Deferred's: {@code addTimeout} cancels it when time is up, the factory's
 * canceller closes the connection, and the cancellation becomes a {@link PoemTimeoutException}. The
 * server's address comes into the errback the Java way, captured by the lambda (Python passes it as
 * an extra argument of {@code addErrback}).
 *
 * <p>{@code bin/example tutorial.part8.GetPoetryTimeout SECONDS [HOST:]PORT...}
 */
public final class GetPoetryTimeout {
  private GetPoetryTimeout() {}

  /** Exercise 1's custom exception: no poem within the timeout. */
  public static final class PoemTimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    PoemTimeoutException(Duration timeout) {
      super("no poem after " + timeout.toMillis() / 1000.0 + " seconds");
    }
  }

  /** Downloads one poem, failing with a {@link PoemTimeoutException} after {@code timeout}. */
  static Deferred<String> getPoetry(Reactor reactor, Address address, Duration timeout) {
    return GetPoetry.getPoetry(reactor, address.host(), address.port())
        .addTimeout(
            timeout,
            reactor,
            (cancelled, after) -> {
              throw new PoemTimeoutException(after); // exercise 1
            })
        .addErrback(
            err -> {
              System.err.println(address + " failed: " + err.getErrorMessage()); // exercise 2
              return err.raiseException(); // still a failure for what comes next
            });
  }

  static Deferred<Void> poetryMain(
      Reactor reactor, List<Address> addresses, Duration timeout, List<String> poems) {
    int[] done = {0};
    Deferred<Void> allDone = Deferred.create();
    for (Address address : addresses) {
      getPoetry(reactor, address, timeout)
          .addCallbacks(
              poem -> {
                poems.add(poem);
                return null;
              },
              err -> null) // already reported, with the server's address
          .addBoth(
              ignored -> {
                if (++done[0] == addresses.size()) {
                  allDone.callback(null);
                }
                return null;
              });
    }
    return allDone;
  }

  /**
   * Downloads the poems with a timeout each, then prints them.
   *
   * @param args the timeout in seconds, then the servers, {@code [HOST:]PORT} each
   */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println(
          "usage: bin/example tutorial.part8.GetPoetryTimeout SECONDS [HOST:]PORT...");
      System.exit(2);
    }
    Duration timeout = Duration.ofMillis(Math.round(Double.parseDouble(args[0]) * 1000));
    List<Address> addresses = Arrays.stream(args, 1, args.length).map(Address::parse).toList();
    List<String> poems = new ArrayList<>();
    int status = Tasks.react(reactor -> poetryMain(reactor, addresses, timeout, poems));
    for (String poem : poems) {
      System.out.println(poem);
    }
    System.exit(status);
  }
}
