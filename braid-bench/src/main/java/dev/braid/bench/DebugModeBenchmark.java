package dev.braid.bench;

import dev.braid.defer.Deferred;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * CompletableFuture}, in one run: {@link DeferredBenchmark}'s cases (create, add one callback,
 * fire; ten callbacks; nested; ...), each with debug mode off and on, {@code debug} being a JMH
 * parameter (the future methods are unaffected by it and measured twice as a check).
 *
 * <p>With debug mode on, every Deferred captures its creation stack, registers a weak reference in
 * its thread's registry, and each callback added walks the stack to its call site; every step run
 * is recorded. Run with {@code -prof gc} for bytes per operation ({@code bench/run --only debug}
 * does). The cost with debug mode off is {@link DeferredBenchmark}'s, compared with the code before
 * tracking existed in {@code docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class DebugModeBenchmark extends DeferredBenchmark {
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
}
