package dev.braid.bench;

import dev.braid.defer.Deferred;
import java.util.List;
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
 * What debug mode's call sites cost: a {@link Deferred} created in debug mode records where it was
 * created with Braid's {@code CallSites} (the stack recorded, its frames named when first read),
 * against two peers that name the frames at once, as a site is recorded:
 *
 * <ul>
 *   <li>{@code throwable...}: what Braid did before {@code CallSites}, {@code new
 *       Throwable().getStackTrace()} with the Deferred's own frames skipped;
 *   <li>{@code stackWalker...}: a {@link StackWalker} that skips those frames and names only the
 *       nearest 64.
 * </ul>
 *
 * {@code depth} adds that many frames between the benchmark and the creation (JMH's own are some
 * fifteen), as a deep reactor callback or a test runner does. Reading a site costs about what the
 * {@code throwable} peer costs, once per site read, which is rare (a Deferred fired twice, a
 * failure nobody handled).
 *
 * <pre>
 * java -cp braid-bench/target/classes:$(cat braid-bench/target/bench-classpath.txt) \
 *   org.openjdk.jmh.Main CallSiteBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CallSiteBenchmark {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.SHOW_REFLECT_FRAMES);

  /** Frames between the benchmark method and the site. */
  @Param({"0", "100"})
  public int depth;

  /** Creates the benchmark; JMH calls this. */
  public CallSiteBenchmark() {}

  /** Debug mode on for the benchmark that records through the Deferred. */
  @State(Scope.Thread)
  public static class DebugOn {
    /** Creates the state; JMH calls this. */
    public DebugOn() {}

    /** Turns debug mode on. */
    @Setup(Level.Trial)
    public void on() {
      Deferred.setDebugging(true);
    }

    /** Turns it off again. */
    @TearDown(Level.Trial)
    public void off() {
      Deferred.setDebugging(false);
    }
  }

  /**
   * A Deferred created in debug mode: its creation site recorded by {@code CallSites}.
   *
   * @param debug turns debug mode on
   * @return the Deferred
   */
  @Benchmark
  public Object callSitesDeferredCreate(DebugOn debug) {
    return createAt(depth);
  }

  /**
   * Peer: a Deferred created outside debug mode, and a site recorded as Braid did before.
   *
   * @return the Deferred and its site
   */
  @Benchmark
  public Object throwableDeferredCreate() {
    return throwableAt(depth);
  }

  /**
   * Peer: a Deferred created outside debug mode, and a site recorded by a {@link StackWalker} that
   * names the nearest 64 frames.
   *
   * @return the Deferred and its site
   */
  @Benchmark
  public Object stackWalkerDeferredCreate() {
    return stackWalkerAt(depth);
  }

  private static Object createAt(int depth) {
    return depth == 0 ? Deferred.create() : createAt(depth - 1);
  }

  private static Object throwableAt(int depth) {
    return depth == 0 ? new Object[] {Deferred.create(), throwableSite()} : throwableAt(depth - 1);
  }

  private static Object stackWalkerAt(int depth) {
    return depth == 0
        ? new Object[] {Deferred.create(), stackWalkerSite()}
        : stackWalkerAt(depth - 1);
  }

  /** The walk that Deferred's debug mode did before CallSites. */
  private static List<StackTraceElement> throwableSite() {
    StackTraceElement[] frames = new Throwable().getStackTrace();
    int skip = 0;
    while (skip < frames.length && isDeferredFrame(frames[skip].getClassName())) {
      skip++;
    }
    return List.of(frames).subList(skip, frames.length);
  }

  private static List<StackTraceElement> stackWalkerSite() {
    return WALKER.walk(
        frames ->
            frames
                .dropWhile(frame -> isDeferredFrame(frame.getClassName()))
                .limit(64)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toList());
  }

  private static boolean isDeferredFrame(String className) {
    String name = Deferred.class.getName();
    return className.startsWith(name)
        && (className.length() == name.length() || className.charAt(name.length()) == '$');
  }
}
