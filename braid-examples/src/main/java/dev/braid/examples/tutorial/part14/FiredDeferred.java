package dev.braid.examples.tutorial.part14;

import dev.braid.defer.Deferred;
import java.util.Map;

/**
 * Part 14's {@code twisted-deferred/defer-11.py}, and exercise 1: a Deferred can fire before
 * anything is added to it. A callback added to a Deferred that has already fired runs at once,
 * before {@code addCallback} returns, and the chain goes on from where it was; a paused Deferred
 * keeps its callbacks until {@code unpause()}. {@code Deferred.fail} makes a Deferred that has
 * already failed, as {@code Deferred.succeed} makes one that has already succeeded (exercise 1),
 * and {@code maybeDeferred} turns a function that returns a value or throws into one or the other.
 *
 * <p>{@code bin/example tutorial.part14.FiredDeferred}
 */
public final class FiredDeferred {
  private FiredDeferred() {}

  private static Integer callback(int n, Integer result) {
    System.out.println("  callback " + n + " got " + result);
    return n;
  }

  /**
   * Prints each case at work.
   *
   * @param args none
   */
  public static void main(String[] args) {
    System.out.println("1. Fire the Deferred, then add callbacks: each runs as it is added.");
    Deferred<Integer> d = Deferred.create();
    d.callback(0);
    for (int n = 1; n <= 3; n++) {
      int step = n;
      System.out.println("Adding callback " + step + ".");
      d = d.addCallback(result -> callback(step, result));
    }

    System.out.println();
    System.out.println("2. Pause it, fire it, add callbacks: they wait for unpause().");
    Deferred<Integer> paused = Deferred.create();
    paused.pause();
    paused.callback(0);
    for (int n = 1; n <= 3; n++) {
      int step = n;
      paused.addCallback(result -> callback(step, result));
    }
    System.out.println("Added three callbacks; unpausing.");
    paused.unpause();

    System.out.println();
    System.out.println("3. Deferred.fail: already failed; an errback added runs at once.");
    Deferred<String> failed = Deferred.fail(new IllegalStateException("no poem today"));
    System.out.println("Adding an errback.");
    failed.addErrback(
        failure -> {
          System.out.println("  errback got " + failure.getErrorMessage());
          return "recovered";
        });

    System.out.println();
    System.out.println("4. maybeDeferred: a plain function's value or exception, as a Deferred.");
    Map<String, String> cache = Map.of("fascination", "The fascination of what's difficult");
    for (String name : new String[] {"fascination", "science"}) {
      Deferred.maybeDeferred(() -> cachedPoem(cache, name))
          .addCallbacks(
              poem -> {
                System.out.println("  " + name + ": " + poem);
                return null;
              },
              failure -> {
                System.out.println("  " + name + ": failed, " + failure.getErrorMessage());
                return null;
              });
    }
  }

  /** A synchronous function that may throw: the cached poem, or an exception. */
  private static String cachedPoem(Map<String, String> cache, String name) {
    String poem = cache.get(name);
    if (poem == null) {
      throw new IllegalStateException("no cached poem named " + name);
    }
    return poem;
  }
}
