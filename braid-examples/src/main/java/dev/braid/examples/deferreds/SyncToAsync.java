package dev.braid.examples.deferreds;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import java.util.List;
import java.util.function.Function;

/**
 * "Introduction to Deferreds", sections "One thing, then another, then another" and "Getting it
 * right: The failure cases": each way synchronous code orders its steps, {@code try}/{@code
 * except}/{@code else}/{@code finally} included (in the document's Python, on one line), beside the
 * Deferred chain that says the same. Every chain runs twice, once with {@code f} succeeding and
 * once with it failing, and each function says when it runs; the last line of a run is what the
 * chain ends with.
 *
 * <p>{@code f} returns a Deferred already fired, so that the runs are easy to follow; a Deferred
 * fired later by the reactor goes down its chain in the same order.
 *
 * <p>{@code bin/example deferreds.SyncToAsync}
 */
public final class SyncToAsync {
  private SyncToAsync() {}

  /** {@code x.get_names()}: a Deferred of some names. */
  static Deferred<List<String>> getNames() {
    return Deferred.succeed(List.of("Wilde", "Poe", "Blake"));
  }

  static List<String> sorted(List<String> names) {
    return names.stream().sorted().toList();
  }

  static Void pprint(List<String> names) {
    System.out.println("  pprint: " + names);
    return null;
  }

  /** {@code f()}: succeeds with 1, or fails. */
  static Deferred<Integer> f(boolean fails) {
    if (fails) {
      System.out.println("  f() fails");
      return Deferred.fail(new IllegalStateException("f failed"));
    }
    System.out.println("  f() returns 1");
    return Deferred.succeed(1);
  }

  /** {@code g(e)}: handles the error; its value, 0, is the one to go on with. */
  static Integer g(Failure e) {
    System.out.println("  g(" + e.getErrorMessage() + ") returns 0");
    return 0;
  }

  /** {@code h(y)}: the next step, y + 10. */
  static Integer h(Integer y) {
    System.out.println("  h(" + y + ") returns " + (y + 10));
    return y + 10;
  }

  /**
   * Prints each translation at work.
   *
   * @param args none
   */
  public static void main(String[] args) {
    System.out.println("pprint(sorted(x.get_names()))");
    System.out.println("= getNames().addCallback(SyncToAsync::sorted).addCallback(pprint)");
    getNames().addCallback(SyncToAsync::sorted).addCallback(SyncToAsync::pprint);

    show(
        "try: f()  except Exception as e: g(e)",
        "f().addErrback(g)",
        fails -> f(fails).addErrback(SyncToAsync::g));
    show(
        "try: y = f()  except Exception as e: g(e)  else: h(y)",
        "f().addCallbacks(h, g)",
        fails -> f(fails).addCallbacks(SyncToAsync::h, SyncToAsync::g));
    show(
        "try: y = f()  except Exception as e: y = g(e)  (after the try) h(y)",
        "f().addErrback(g).addCallback(h)",
        fails -> f(fails).addErrback(SyncToAsync::g).addCallback(SyncToAsync::h));
    show(
        "try: y = f(); z = h(y)  except Exception as e: g(e)",
        "f().addCallback(h).addErrback(g)",
        fails -> f(fails).addCallback(SyncToAsync::h).addErrback(SyncToAsync::g));
    // Twisted's addBoth(g): g gets the value or the failure and its return value goes on, so it
    // ends a failure as an errback does.
    show(
        "try: y = f()  finally: g()  (roughly)",
        "f().addBoth(g)",
        fails ->
            f(fails)
                .addBoth(
                    outcome -> {
                      System.out.println("  g(" + describe(outcome) + ") returns 0");
                      return 0;
                    }));
    // Java's finally exactly: g runs, and the outcome goes on as it came, a failure still failed.
    show(
        "try: y = f()  finally: g()",
        "f().addFinally(g)",
        fails -> f(fails).addFinally(outcome -> System.out.println("  g() runs")));
  }

  /** Runs {@code chain} with f succeeding, then failing, and prints how each run ended. */
  private static void show(
      String synchronous, String withDeferreds, Function<Boolean, Deferred<?>> chain) {
    System.out.println();
    System.out.println(synchronous);
    System.out.println("= " + withDeferreds);
    for (boolean fails : List.of(false, true)) {
      chain
          .apply(fails)
          .addBoth(
              outcome -> {
                System.out.println("  -> " + describe(outcome));
                return null; // handled: nothing is left failed and unhandled
              });
    }
  }

  private static String describe(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Success<?> success -> "result " + success.value();
      case Outcome.Failed<?> failed -> "failure: " + failed.failure().getErrorMessage();
    };
  }
}
