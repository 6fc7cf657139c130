package dev.braid.bench;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import java.util.concurrent.CompletableFuture;

/**
 * The cases of {@link DeferredBenchmark} as plain loops, for {@link DeferredCpuCost}, which loads
 * this class once per version of {@code braid-defer} it compares. Each method runs its case {@code
 * n} times and returns something derived from every result, so that nothing is optimised away.
 */
public final class CpuCases {
  private static final Exception ERROR = new Exception("benchmark failure");

  private CpuCases() {}

  /** The case names, each a Deferred one followed by its CompletableFuture peer. */
  static final String[] NAMES = {
    "deferredCreateFireOne", "futureCreateFireOne",
    "deferredChain10ThenFire", "futureChain10ThenFire",
    "deferredFireThenAdd10", "futureFireThenAdd10",
    "deferredNested", "futureNested",
    "deferredErrorPath", "futureErrorPath"
  };

  /**
   * Runs case {@code name} {@code n} times.
   *
   * @param name one of {@link #NAMES}
   * @param n how many times
   * @return a value that depends on every run
   */
  public static long run(String name, int n) {
    return switch (name) {
      case "deferredCreateFireOne" -> deferredCreateFireOne(n);
      case "futureCreateFireOne" -> futureCreateFireOne(n);
      case "deferredChain10ThenFire" -> deferredChain10ThenFire(n);
      case "futureChain10ThenFire" -> futureChain10ThenFire(n);
      case "deferredFireThenAdd10" -> deferredFireThenAdd10(n);
      case "futureFireThenAdd10" -> futureFireThenAdd10(n);
      case "deferredNested" -> deferredNested(n);
      case "futureNested" -> futureNested(n);
      case "deferredErrorPath" -> deferredErrorPath(n);
      case "futureErrorPath" -> futureErrorPath(n);
      default -> throw new IllegalArgumentException("unknown case: " + name);
    };
  }

  // One method per case, so that each loop is compiled on its own.
  private static long deferredCreateFireOne(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Deferred<Integer> d = Deferred.create();
      Deferred<Integer> out = d.addCallback(x -> x + 1);
      d.callback(1);
      sink += out.hasResult() ? 1 : 0;
    }
    return sink;
  }

  private static long futureCreateFireOne(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      CompletableFuture<Integer> out = f.thenApply(x -> x + 1);
      f.complete(1);
      sink += out.getNow(0);
    }
    return sink;
  }

  private static long deferredChain10ThenFire(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Deferred<Integer> d = Deferred.create();
      Deferred<Integer> out = d;
      for (int k = 0; k < 10; k++) {
        out = out.addCallback(x -> x + 1);
      }
      d.callback(0);
      sink += out.hasResult() ? 1 : 0;
    }
    return sink;
  }

  private static long futureChain10ThenFire(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      CompletableFuture<Integer> out = f;
      for (int k = 0; k < 10; k++) {
        out = out.thenApply(x -> x + 1);
      }
      f.complete(0);
      sink += out.getNow(0);
    }
    return sink;
  }

  private static long deferredFireThenAdd10(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Deferred<Integer> d = Deferred.create();
      d.callback(1);
      Deferred<Integer> out = d;
      for (int k = 0; k < 10; k++) {
        out = out.addCallback(x -> x + 1);
      }
      sink += out.hasResult() ? 1 : 0;
    }
    return sink;
  }

  private static long futureFireThenAdd10(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      f.complete(1);
      CompletableFuture<Integer> out = f;
      for (int k = 0; k < 10; k++) {
        out = out.thenApply(x -> x + 1);
      }
      sink += out.getNow(0);
    }
    return sink;
  }

  private static long deferredNested(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Deferred<Integer> inner = Deferred.create();
      Deferred<Integer> outer = Deferred.create();
      Deferred<Integer> out = outer.addCallbackDeferred(x -> inner);
      outer.callback(1);
      inner.callback(2);
      sink += out.hasResult() ? 1 : 0;
    }
    return sink;
  }

  private static long futureNested(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      CompletableFuture<Integer> inner = new CompletableFuture<>();
      CompletableFuture<Integer> outer = new CompletableFuture<>();
      CompletableFuture<Integer> out = outer.thenCompose(x -> inner);
      outer.complete(1);
      inner.complete(2);
      sink += out.getNow(0);
    }
    return sink;
  }

  private static long deferredErrorPath(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      Deferred<Integer> d = Deferred.create();
      Deferred<Integer> out = d.addCallback(x -> x + 1).addErrback((Failure f) -> 0);
      d.errback(ERROR);
      sink += out.hasResult() ? 1 : 0;
    }
    return sink;
  }

  private static long futureErrorPath(int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      CompletableFuture<Integer> out = f.thenApply(x -> x + 1).exceptionally(t -> 0);
      f.completeExceptionally(ERROR);
      sink += out.getNow(0);
    }
    return sink;
  }
}
