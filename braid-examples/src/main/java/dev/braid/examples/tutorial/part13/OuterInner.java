package dev.braid.examples.tutorial.part13;

import dev.braid.defer.Callback;
import dev.braid.defer.Deferred;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The tutorial's pair of outer Deferreds (Part 13, {@code twisted-deferred/defer-10.py}): one runs
 * plain callbacks, the other has a callback that returns an inner Deferred, which pauses the outer
 * chain until the inner one fires later.
 *
 * <p>{@code bin/example tutorial.part13.OuterInner}
 */
public final class OuterInner {
  private OuterInner() {}

  /**
   * Prints both chains at work.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    run(System.out);
  }

  /**
   * Runs the example, printing to {@code out}. "Later" is a queue of actions run after the chains
   * were set up, standing in for the reactor's event loop.
   *
   * @param out where the story goes
   */
  static void run(PrintStream out) {
    Queue<Runnable> later = new ArrayDeque<>();

    out.println("Outer Deferred 1 has three plain callbacks.");
    Deferred<String> outer1 = Deferred.create();
    outer1
        .addCallback(step(out, "outer 1", 1))
        .addCallback(step(out, "outer 1", 2))
        .addCallback(step(out, "outer 1", 3));

    out.println("Outer Deferred 2's second callback returns an inner Deferred.");
    Deferred<String> inner = Deferred.create();
    Deferred<String> outer2 = Deferred.create();
    outer2
        .addCallback(step(out, "outer 2", 1))
        .addCallbackDeferred(
            result -> {
              out.println(
                  "  outer 2, callback 2 got '" + result + "' and returns the inner Deferred");
              later.add(
                  () -> {
                    out.println("Later: the inner Deferred fires with 'inner result'.");
                    inner.callback("inner result");
                  });
              return inner;
            })
        .addCallback(step(out, "outer 2", 3));

    out.println("Firing outer 1:");
    outer1.callback("first result");
    out.println("Firing outer 2:");
    outer2.callback("second result");
    out.println("Outer 2 is paused, waiting on the inner Deferred: " + outer2);

    while (!later.isEmpty()) {
      later.remove().run();
    }
    out.println("Outer 2 resumed with the inner result and finished: " + outer2);
  }

  private static Callback<String, String> step(PrintStream out, String who, int n) {
    return result -> {
      out.println("  " + who + ", callback " + n + " got '" + result + "'");
      return result;
    };
  }
}
