package dev.braid.bench;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a coroutine suspension costs: one {@code callback()} that resumes a suspended {@link Async}
 * body, which then creates the next Deferred and suspends on it again, measured against peers doing
 * the same round in the same run:
 *
 * <ul>
 *   <li>{@code virtualThreadHandOff}: the bare mechanism underneath, a volatile turn flag and
 *       park/unpark between the benchmark thread and a virtual thread, with the same spin policy;
 *   <li>{@code deferredCallbackResume}: the callback style a body replaces, a callback that adds
 *       the next callback;
 *   <li>{@code completableFutureResume}: the same with {@link CompletableFuture}, a {@code
 *       thenAccept} continuation that registers the next one.
 * </ul>
 *
 * <p>Also: {@code asyncAwaitFired} (an await of a Deferred that already has a result, which does
 * not suspend) and {@code asyncRunToEnd} (starting a coroutine that ends at once) against {@code
 * virtualThreadStartJoin}. Run with {@code bench/run-async}; results go in {@code
 * docs/benchmarks.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AsyncBenchmark {

  /** Creates the benchmark; JMH calls this. */
  public AsyncBenchmark() {}

  /** A coroutine that awaits a fresh Deferred, forever, until stopped. */
  @State(Scope.Thread)
  public static class SuspendedCoroutine {
    Deferred<Integer> pending;
    boolean stopping;
    long sum;
    Deferred<Void> coroutine;

    /** Creates the state; JMH calls this. */
    public SuspendedCoroutine() {}

    /** Starts the coroutine; it suspends at once. */
    @Setup(Level.Trial)
    public void start() {
      coroutine =
          Async.run(
              () -> {
                while (!stopping) {
                  Deferred<Integer> d = Deferred.create();
                  pending = d;
                  sum += Async.await(d);
                }
                return null;
              });
    }

    /** Lets the body end, so that no virtual thread is left parked. */
    @TearDown(Level.Trial)
    public void stop() {
      stopping = true;
      pending.callback(0);
      if (!coroutine.hasResult()) {
        throw new IllegalStateException("the coroutine did not end");
      }
    }
  }

  /**
   * One suspension and one resumption of an {@link Async} body.
   *
   * @param s the suspended coroutine
   * @return a value for the blackhole
   */
  @Benchmark
  public long asyncSuspendResume(SuspendedCoroutine s) {
    s.pending.callback(1);
    return s.sum;
  }

  /** The bare hand-off: a virtual thread and the benchmark thread taking turns. */
  @State(Scope.Thread)
  public static class VirtualThreadPeer {
    static final int DRIVER = 0;
    static final int PEER = 1;
    static final long DRIVER_SPIN_NANOS = Long.getLong("braid.async.driverSpinNanos", 20_000);

    volatile int turn = DRIVER;
    volatile boolean stopping;
    Thread driver;
    Thread peer;
    long sum;

    /** Creates the state; JMH calls this. */
    public VirtualThreadPeer() {}

    /** Starts the peer thread; it waits for its first turn. */
    @Setup(Level.Trial)
    public void start() {
      peer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (true) {
                      while (turn != PEER) {
                        LockSupport.park(this);
                      }
                      if (stopping) {
                        Thread d = driver;
                        turn = DRIVER;
                        LockSupport.unpark(d);
                        return;
                      }
                      sum++;
                      Thread d = driver;
                      turn = DRIVER;
                      LockSupport.unpark(d);
                    }
                  });
    }

    void handOff() {
      driver = Thread.currentThread();
      turn = PEER;
      LockSupport.unpark(peer);
      if (spinUntil(DRIVER, DRIVER_SPIN_NANOS)) {
        return;
      }
      while (turn != DRIVER) {
        LockSupport.park(this);
      }
    }

    /** The same spin policy as {@code Async}'s hand-off. */
    boolean spinUntil(int side, long nanos) {
      long start = System.nanoTime();
      while (true) {
        for (int i = 0; i < 16; i++) {
          if (turn == side) {
            return true;
          }
          Thread.onSpinWait();
        }
        if (System.nanoTime() - start >= nanos) {
          return false;
        }
      }
    }

    /**
     * Ends the peer thread.
     *
     * @throws InterruptedException if interrupted while joining it
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
      stopping = true;
      handOff();
      peer.join();
    }
  }

  /**
   * One round trip to a virtual thread and back, with no Deferred involved.
   *
   * @param s the peer thread
   * @return a value for the blackhole
   */
  @Benchmark
  public long virtualThreadHandOff(VirtualThreadPeer s) {
    s.handOff();
    return s.sum;
  }

  /** A callback that adds the next callback to a fresh Deferred: the style a body replaces. */
  @State(Scope.Thread)
  public static class DeferredCallbackLoop {
    Deferred<Integer> pending;
    long sum;

    /** Creates the state; JMH calls this. */
    public DeferredCallbackLoop() {}

    /** Sets up the first Deferred. */
    @Setup(Level.Trial)
    public void start() {
      next();
    }

    void next() {
      Deferred<Integer> d = Deferred.create();
      pending = d;
      d.addCallback(
          v -> {
            sum += v;
            next();
            return null;
          });
    }
  }

  /**
   * One resumption of a callback-style loop on Deferreds.
   *
   * @param s the loop
   * @return a value for the blackhole
   */
  @Benchmark
  public long deferredCallbackResume(DeferredCallbackLoop s) {
    s.pending.callback(1);
    return s.sum;
  }

  /** The same loop with CompletableFuture continuations. */
  @State(Scope.Thread)
  public static class FutureLoop {
    CompletableFuture<Integer> pending;
    long sum;

    /** Creates the state; JMH calls this. */
    public FutureLoop() {}

    /** Sets up the first future. */
    @Setup(Level.Trial)
    public void start() {
      next();
    }

    void next() {
      CompletableFuture<Integer> f = new CompletableFuture<>();
      pending = f;
      f.thenAccept(
          v -> {
            sum += v;
            next();
          });
    }
  }

  /**
   * One resumption of a continuation-style loop on CompletableFutures.
   *
   * @param s the loop
   * @return a value for the blackhole
   */
  @Benchmark
  public long completableFutureResume(FutureLoop s) {
    s.pending.complete(1);
    return s.sum;
  }

  /** A Deferred that already has a result. */
  @State(Scope.Thread)
  public static class Fired {
    final Deferred<Integer> fired = Deferred.succeed(1);

    /** Creates the state; JMH calls this. */
    public Fired() {}
  }

  /**
   * 1,000 awaits of a fired Deferred in one body (which does not suspend), per await; includes a
   * thousandth of starting the coroutine.
   *
   * @param s the fired Deferred
   * @return the body's Deferred, for the blackhole
   */
  @Benchmark
  @OperationsPerInvocation(1000)
  public Deferred<Long> asyncAwaitFired(Fired s) {
    Deferred<Integer> fired = s.fired;
    return Async.run(
        () -> {
          long sum = 0;
          for (int i = 0; i < 1000; i++) {
            sum += Async.await(fired);
          }
          return sum;
        });
  }

  /**
   * Starting a coroutine whose body returns at once, until its Deferred has fired.
   *
   * @return the Deferred, for the blackhole
   */
  @Benchmark
  public Deferred<Integer> asyncRunToEnd() {
    return Async.run(() -> 1);
  }

  private static final Runnable NOTHING = () -> {};

  /**
   * Starting a virtual thread that does nothing, and joining it.
   *
   * @return the thread, for the blackhole
   * @throws InterruptedException if interrupted while joining
   */
  @Benchmark
  public Thread virtualThreadStartJoin() throws InterruptedException {
    Thread t = Thread.ofVirtual().start(NOTHING);
    t.join();
    return t;
  }
}
