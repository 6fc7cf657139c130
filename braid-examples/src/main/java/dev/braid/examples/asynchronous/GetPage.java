package dev.braid.examples.asynchronous;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.net.Reactor;
import dev.braid.reactor.Tasks;
import dev.braid.web.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The examples of "Asynchronous Programming with Twisted", section "Deferreds", in Braid: {@code
 * getPage} returns a Deferred; {@code lowerCaseContents} and {@code printContents} are its
 * callbacks, one feeding the next (the second example); {@code errorHandler} is its errback, which
 * a page that does not exist reaches (the third). The reactor stops when the chain is done ({@link
 * Tasks#react}), where the Python version calls {@code reactor.stop()} from the callbacks.
 *
 * <p>{@code bin/example asynchronous.GetPage URL}
 */
public final class GetPage {
  private GetPage() {}

  /** A callback: converts the page to lower case. */
  static String lowerCaseContents(byte[] contents) {
    return new String(contents, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
  }

  /** A callback: prints what it is given. */
  static Void printContents(String contents) {
    System.out.println(contents);
    return null;
  }

  /** An errback: prints the error. */
  static Void errorHandler(Failure error) {
    System.out.println("An error has occurred: <" + error.getErrorMessage() + ">");
    return null;
  }

  // tag::readme-getpage[]
  /** The chain: getPage, then lowerCaseContents, then printContents; errorHandler on failure. */
  static Deferred<Void> printLowerCasePage(Reactor reactor, String url) {
    return WebClient.getPage(reactor, url)
        .addCallback(GetPage::lowerCaseContents)
        .addCallback(GetPage::printContents)
        .addErrback(GetPage::errorHandler);
  }

  // end::readme-getpage[]

  /**
   * Prints the page at {@code args[0]} in lower case, or the error.
   *
   * @param args the URL
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: bin/example asynchronous.GetPage URL");
      System.exit(2);
    }
    Tasks.reactAndExit(reactor -> printLowerCasePage(reactor, args[0]));
  }
}
