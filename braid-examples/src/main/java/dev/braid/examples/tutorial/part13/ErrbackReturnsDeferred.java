package dev.braid.examples.tutorial.part13;

import dev.braid.defer.Deferred;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * Part 13's exercise 4: an errback that returns a Deferred pauses the outer chain just as a
 * callback that returns one does ({@link OuterInner}). The outer Deferred fails; its errback
 * returns an inner Deferred; the outer chain waits until the inner one fires, then goes on with the
 * inner outcome: down the callback side when the inner Deferred succeeds, down the errback side
 * when it fails. "Later" is a queue of actions run after the chains are set up, standing in for the
 * reactor's event loop.
 *
 * <p>{@code bin/example tutorial.part13.ErrbackReturnsDeferred}
 */
public final class ErrbackReturnsDeferred {
  private ErrbackReturnsDeferred() {}

  /**
   * Runs the outer chain twice: the inner Deferred succeeds, then it fails.
   *
   * @param args none
   */
  public static void main(String[] args) {
    run("succeeds", inner -> inner.callback("a poem from the backup server"));
    System.out.println();
    run("fails", inner -> inner.errback(new IllegalStateException("the backup server is down")));
  }

  private static void run(String how, Consumer<Deferred<String>> fireInner) {
    Queue<Runnable> later = new ArrayDeque<>();
    Deferred<String> inner = Deferred.create();
    Deferred<String> outer = Deferred.create();
    outer
        .addCallback(
            result -> {
              System.out.println("  callback 1 got '" + result + "'"); // not run: outer failed
              return result;
            })
        .addErrbackDeferred(
            failure -> {
              System.out.println(
                  "  errback 1 got '"
                      + failure.getErrorMessage()
                      + "' and returns the inner Deferred");
              later.add(
                  () -> {
                    System.out.println("Later: the inner Deferred " + how + ".");
                    fireInner.accept(inner);
                  });
              return inner;
            })
        .addCallbacks(
            result -> {
              System.out.println("  callback 2 got '" + result + "'");
              return result;
            },
            failure -> {
              System.out.println("  errback 2 got '" + failure.getErrorMessage() + "'");
              return "no poem today";
            });

    System.out.println("Failing the outer Deferred:");
    outer.errback(new IllegalStateException("the server is down"));
    System.out.println("The outer Deferred is paused, waiting on the inner one: " + outer);
    while (!later.isEmpty()) {
      later.remove().run();
    }
    System.out.println("The outer Deferred resumed with the inner outcome: " + outer);
  }
}
