package dev.braid.bench;

import dev.braid.defer.Deferred;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What debug mode ({@code -Dbraid.debug=true}: pending-Deferred tracking, call sites, step history)
 * costs per Deferred, against the same work with debug mode off and against {@link
 * CompletableFuture}, in one run. {@code debug} is a JMH parameter: each method runs with debug
 * mode off and on (the future methods are unaffected by it and measured twice as a check).
 *
 * <ul>
 *   <li>{@code CreateFireOne}: create, add one callback, fire;
 *   <li>{@code Chain10ThenFire}: create, add ten callbacks, fire;
 *   <li>{@code Nested}: a callback returns an unfired inner result, fired afterwards.
 * </ul>
 *
 * With debug mode on, every Deferred captures its creation stack, registers a weak reference in its
 * thread's registry, and each callback added walks the stack to its call site; every step run is
 * recorded. Run with {@code -prof gc} for bytes per operation ({@code bench/run --only debug}
 * does). The cost with debug mode off is {@link DeferredBenchmark}'s, compared with the code before
 * tracking existed in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DebugModeBenchmark {
  /** Whether debug mode is on while the benchmark runs. */
  @Param({"false", "true"})
  public boolean debug;

  private boolean before;

  /** Creates the benchmark; JMH calls this. */
  public DebugModeBenchmark() {}

  /** Sets debug mode for the trial. */
  @Setup(Level.Trial)
  public void setDebugMode() {
    before = Deferred.isDebugging();
    Deferred.setDebugging(debug);
  }

  /** Restores debug mode. */
  @TearDown(Level.Trial)
  public void restoreDebugMode() {
    Deferred.setDebugging(before);
  }

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
    d.callback(0);
    return out;
  }

  /**
   * Create, add ten {@code thenApply}, complete.
   *
   * @return the last dependent future
   */
  @Benchmark
  public CompletableFuture<Integer> futureChain10ThenFire() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    CompletableFuture<Integer> out = f;
    for (int i = 0; i < 10; i++) {
      out = out.thenApply(x -> x + 1);
    }
    f.complete(0);
    return out;
  }

  /**
   * A callback returns an unfired inner Deferred, which is fired afterwards.
   *
   * @return the outer Deferred
   */
  @Benchmark
  public Deferred<Integer> deferredNested() {
    Deferred<Integer> inner = Deferred.create();
    Deferred<Integer> outer = Deferred.create();
    Deferred<Integer> out = outer.addCallbackDeferred(x -> inner);
    outer.callback(1);
    inner.callback(2);
    return out;
  }

  /**
   * {@code thenCompose} with an incomplete inner future, completed afterwards.
   *
   * @return the composed future
   */
  @Benchmark
  public CompletableFuture<Integer> futureNested() {
    CompletableFuture<Integer> inner = new CompletableFuture<>();
    CompletableFuture<Integer> outer = new CompletableFuture<>();
    CompletableFuture<Integer> out = outer.thenCompose(x -> inner);
    outer.complete(1);
    inner.complete(2);
    return out;
  }
}
