package dev.braid.bench;

import dev.braid.defer.Deferred;
import dev.braid.defer.DeferredList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@link Deferred} costs against {@link CompletableFuture} doing the same work, one pair of
 * methods per case ({@code deferred...} and {@code future...}):
 *
 * <ul>
 *   <li>{@code CreateFireOne}: create, add one callback, fire;
 *   <li>{@code Chain10ThenFire}: create, add ten callbacks, fire;
 *   <li>{@code FireThenAdd10}: create, fire, add ten callbacks (each runs at once);
 *   <li>{@code Nested}: a callback returns an unfired inner result, fired afterwards ({@code
 *       thenCompose} for the future);
 *   <li>{@code ErrorPath}: a callback that the failure skips, then an errback that recovers ({@code
 *       thenApply} then {@code exceptionally});
 *   <li>{@code List100}: a list of 100 unfired results, then each fired ({@code allOf}).
 * </ul>
 *
 * Callbacks are non-capturing lambdas over small cached {@code Integer}s, so neither side allocates
 * for the values themselves; the exception of the error path is preallocated. Every method returns
 * its last result so that nothing is optimised away. Run with {@code -prof gc} for bytes per
 * operation ({@code bench/run} does).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DeferredBenchmark {
  private static final int LIST_SIZE = 100;
  private static final Exception ERROR = new Exception("benchmark failure");

  /** Creates the benchmark; JMH calls this. */
  public DeferredBenchmark() {}

  /**
   * Create, add one callback, fire.
   *
   * @return the Deferred
   */
  @Benchmark
  public Deferred<Integer> deferredCreateFireOne() {
    Deferred<Integer> d = Deferred.create();
    Deferred<Integer> out = d.addCallback(x -> x + 1);
    d.callback(1);
    return out;
  }

  /**
   * Create, add one {@code thenApply}, complete.
   *
   * @return the dependent future
   */
  @Benchmark
  public CompletableFuture<Integer> futureCreateFireOne() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    CompletableFuture<Integer> out = f.thenApply(x -> x + 1);
    f.complete(1);
    return out;
  }

  /**
   * Create, add ten callbacks, fire.
   *
   * @return the Deferred
   */
  @Benchmark
  public Deferred<Integer> deferredChain10ThenFire() {
    Deferred<Integer> d = Deferred.create();
    Deferred<Integer> out = d;
    for (int i = 0; i < 10; i++) {
      out = out.addCallback(x -> x + 1);
    }
    d.callback(1);
    return out;
  }

  /**
   * Create, chain ten {@code thenApply}, complete.
   *
   * @return the last future
   */
  @Benchmark
  public CompletableFuture<Integer> futureChain10ThenFire() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    CompletableFuture<Integer> out = f;
    for (int i = 0; i < 10; i++) {
      out = out.thenApply(x -> x + 1);
    }
    f.complete(1);
    return out;
  }

  /**
   * Create, fire, then add ten callbacks, each of which runs at once.
   *
   * @return the Deferred
   */
  @Benchmark
  public Deferred<Integer> deferredFireThenAdd10() {
    Deferred<Integer> d = Deferred.create();
    d.callback(1);
    Deferred<Integer> out = d;
    for (int i = 0; i < 10; i++) {
      out = out.addCallback(x -> x + 1);
    }
    return out;
  }

  /**
   * Create, complete, then chain ten {@code thenApply}, each of which runs at once.
   *
   * @return the last future
   */
  @Benchmark
  public CompletableFuture<Integer> futureFireThenAdd10() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    f.complete(1);
    CompletableFuture<Integer> out = f;
    for (int i = 0; i < 10; i++) {
      out = out.thenApply(x -> x + 1);
    }
    return out;
  }

  /**
   * A callback returns an unfired inner Deferred; the outer fires first, then the inner.
   *
   * @return the outer Deferred
   */
  @Benchmark
  public Deferred<Integer> deferredNested() {
    Deferred<Integer> outer = Deferred.create();
    Deferred<Integer> inner = Deferred.create();
    Deferred<Integer> out = outer.addCallbackDeferred(x -> inner).addCallback(x -> x + 1);
    outer.callback(1);
    inner.callback(2);
    return out;
  }

  /**
   * {@code thenCompose} with an incomplete inner future; the outer completes first, then the inner.
   *
   * @return the composed future
   */
  @Benchmark
  public CompletableFuture<Integer> futureNested() {
    CompletableFuture<Integer> outer = new CompletableFuture<>();
    CompletableFuture<Integer> inner = new CompletableFuture<>();
    CompletableFuture<Integer> out = outer.thenCompose(x -> inner).thenApply(x -> x + 1);
    outer.complete(1);
    inner.complete(2);
    return out;
  }

  /**
   * Fails a Deferred whose chain has a callback (skipped) and an errback that recovers.
   *
   * @return the Deferred
   */
  @Benchmark
  public Deferred<Integer> deferredErrorPath() {
    Deferred<Integer> d = Deferred.create();
    Deferred<Integer> out = d.addCallback(x -> x + 1).addErrback(f -> 0);
    d.errback(ERROR);
    return out;
  }

  /**
   * Fails a future that has a {@code thenApply} (skipped) and an {@code exceptionally} that
   * recovers.
   *
   * @return the recovering future
   */
  @Benchmark
  public CompletableFuture<Integer> futureErrorPath() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    CompletableFuture<Integer> out = f.thenApply(x -> x + 1).exceptionally(t -> 0);
    f.completeExceptionally(ERROR);
    return out;
  }

  /**
   * A {@link DeferredList} of 100 unfired Deferreds, then each fired.
   *
   * @return the list's Deferred
   */
  @Benchmark
  public Object deferredList100() {
    List<Deferred<Integer>> inputs = new ArrayList<>(LIST_SIZE);
    for (int i = 0; i < LIST_SIZE; i++) {
      inputs.add(Deferred.create());
    }
    Object out = DeferredList.of(inputs).deferred();
    for (Deferred<Integer> d : inputs) {
      d.callback(1);
    }
    return out;
  }

  /**
   * {@link CompletableFuture#allOf} of 100 incomplete futures, then each completed.
   *
   * @return the combined future
   */
  @Benchmark
  @SuppressWarnings("unchecked")
  public CompletableFuture<Void> futureAllOf100() {
    CompletableFuture<?>[] inputs = new CompletableFuture<?>[LIST_SIZE];
    for (int i = 0; i < LIST_SIZE; i++) {
      inputs[i] = new CompletableFuture<>();
    }
    CompletableFuture<Void> out = CompletableFuture.allOf(inputs);
    for (CompletableFuture<?> f : inputs) {
      ((CompletableFuture<Integer>) f).complete(1);
    }
    return out;
  }
}
