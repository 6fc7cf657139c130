package dev.braid.examples.readme;

import dev.braid.defer.Deferred;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.TransformProxy;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.poetry.Transformer;
import dev.braid.reactor.Tasks;

/**
 * The README's first snippet: a Deferred's chain, whose second callback returns another Deferred (a
 * transform asked of a server over TCP), so that the chain waits for it. Here the transform server
 * runs on the same reactor, on a free port of 127.0.0.1.
 *
 * <p>{@code bin/example readme.DeferredChain}
 */
public final class DeferredChain {
  private DeferredChain() {}

  /** Sets up the server and the chain, fires the chain, and finishes when the chain has. */
  static Deferred<?> run(Reactor reactor) {
    ListeningPort server =
        reactor.listenTCP(
            0,
            TransformServerFactory.create(TransformService.standard()),
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    Transformer transformer =
        TransformProxy.create(reactor, "127.0.0.1", server.getHost().getPort());

    // tag::readme-deferred[]
    Deferred<String> poem = Deferred.create();
    poem.addCallback(String::toUpperCase)
        .addCallbackDeferred(text -> transformer.xform("cummingsify", text)) // waits for it
        .addErrback(failure -> "no poem today: " + failure.getErrorMessage())
        .addCallback(
            text -> {
              System.out.println(text);
              return null;
            });
    poem.callback("The Fascination of what's Difficult");
    // end::readme-deferred[]
    return poem;
  }

  /**
   * Runs the chain.
   *
   * @param args none
   */
  public static void main(String[] args) {
    Tasks.reactAndExit(DeferredChain::run);
  }
}
