package dev.braid.examples.tutorial.part13;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.examples.tutorial.Address;
import dev.braid.net.Reactor;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.TransformProxy;
import dev.braid.poetry.Transformer;
import dev.braid.reactor.Tasks;
import java.util.ArrayList;
import java.util.List;

/**
 * Part 13's client 6.0 ({@code twisted-client-6/get-poetry.py}), with the part's exercises 1 and 2.
 * Each poem is sent to a transform server, and the callback that asks for the transform, {@code
 * tryToTransform}, returns the transform's Deferred: the poem's chain waits for that inner Deferred
 * and goes on with its result. When the transform fails (the server is down, or closes without a
 * reply), the inner Deferred's errback returns the original poem, so the poem still prints.
 *
 * <p>Exercise 1: the transform is chosen by name, {@code --xform NAME} ({@code cummingsify} by
 * default). Exercise 2: the transform server is optional; without {@code --xform-server} the poems
 * print as they came. Exercise 3, "you make it, you fire it", is done in {@code PoetryClient}'s
 * factory (and in Part 8's example). The poetry client and the {@link TransformProxy} are the
 * poetry library's, the tutorial's classes grown up.
 *
 * <p>{@code bin/example tutorial.part13.TransformClient [--xform NAME] [--xform-server [HOST:]PORT]
 * [HOST:]PORT...}
 */
public final class TransformClient {
  private TransformClient() {}

  /** The transform step: the inner Deferred, which recovers with the original poem on failure. */
  static Deferred<String> tryToTransform(Transformer proxy, String xform, String poem) {
    return proxy
        .xform(xform, poem)
        .addErrback(
            err -> {
              System.err.println(xform + " failed! (" + err.getErrorMessage() + ")");
              return poem;
            });
  }

  static Deferred<Void> poetryMain(
      Reactor reactor,
      List<Address> servers,
      String xform,
      Address xformServer,
      List<String> poems) {
    Transformer proxy =
        xformServer == null
            ? null
            : TransformProxy.create(reactor, xformServer.host(), xformServer.port());
    List<Failure> errors = new ArrayList<>();
    Deferred<Void> allDone = Deferred.create();
    for (Address server : servers) {
      Deferred<String> d = PoetryClient.getPoetry(reactor, server.host(), server.port());
      if (proxy != null) {
        d = d.addCallbackDeferred(poem -> tryToTransform(proxy, xform, poem));
      }
      d.addCallbacks(
              poem -> {
                poems.add(poem);
                return null;
              },
              err -> {
                System.err.println("Poem failed: " + err.getErrorMessage());
                errors.add(err);
                return null;
              })
          .addBoth(
              ignored -> {
                if (poems.size() + errors.size() == servers.size()) {
                  allDone.callback(null);
                }
                return null;
              });
    }
    return allDone;
  }

  /**
   * Downloads the poems, transforms them, then prints them.
   *
   * @param args the options, then the poetry servers
   */
  public static void main(String[] args) {
    String xform = "cummingsify";
    Address xformServer = null;
    List<Address> servers = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--xform" -> xform = args[++i];
        case "--xform-server" -> xformServer = Address.parse(args[++i]);
        default -> servers.add(Address.parse(args[i]));
      }
    }
    if (servers.isEmpty()) {
      System.err.println(
          "usage: bin/example tutorial.part13.TransformClient [--xform NAME]"
              + " [--xform-server [HOST:]PORT] [HOST:]PORT...");
      System.exit(2);
    }
    String name = xform;
    Address transformer = xformServer;
    List<String> poems = new ArrayList<>();
    int status = Tasks.react(reactor -> poetryMain(reactor, servers, name, transformer, poems));
    for (String poem : poems) {
      System.out.println(poem);
    }
    System.exit(status);
  }
}
