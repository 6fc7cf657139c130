package dev.braid.web.examples;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.net.Reactor;
import dev.braid.reactor.Tasks;
import dev.braid.web.WebClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Deferred documentation's first example ("Deferreds are beautiful"), in Braid: {@code getPage}
 * returns a Deferred; {@code lowerCaseContents} and {@code printContents} are its callbacks, one
 * feeding the next; {@code errorHandler} is its errback. The reactor stops when the chain is done
 * ({@link Tasks#react}), where the Python version calls {@code reactor.stop()} itself.
 */
public final class GetPageExample {
  private GetPageExample() {}

  /** A callback: converts the page to lower case. */
  static String lowerCaseContents(byte[] contents) {
    return new String(contents, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
  }

  /** A callback: prints what it is given. */
  static Void printContents(String contents, PrintStream out) {
    out.println(contents);
    return null;
  }

  /** An errback: prints the error (the Python version then stops the reactor). */
  static Void errorHandler(Failure error, PrintStream out) {
    out.println("An error has occurred: <" + error.value().getMessage() + ">");
    return null;
  }

  /** The chain: getPage, then lowerCaseContents, then printContents; errorHandler on failure. */
  static Deferred<Void> printLowerCasePage(Reactor reactor, String url, PrintStream out) {
    return WebClient.getPage(reactor, url)
        .addCallback(GetPageExample::lowerCaseContents)
        .addCallback(contents -> printContents(contents, out))
        .addErrback(error -> errorHandler(error, out));
  }

  /**
   * Prints the page at {@code args[0]} in lower case.
   *
   * @param args the URL
   */
  public static void main(String[] args) {
    Tasks.reactAndExit(reactor -> printLowerCasePage(reactor, args[0], System.out));
  }
}
