package dev.braid.bench;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntUnaryOperator;

/**
 * Many suspended coroutines at once, the case of the coroutine goals in {@code docs/benchmarks.md}:
 * starts N {@link Async} bodies that each suspend on their own unfired Deferred, measures the heap
 * after a full GC before and after, then fires every Deferred, one after another from this platform
 * thread; each {@code callback()} returns once that body has resumed and ended. Peers measured the
 * same way in the same JVM:
 *
 * <ul>
 *   <li>a bare virtual-thread hand-off: N virtual threads, each started and run in lock-step with
 *       this thread up to a park (a volatile turn flag, park/unpark, the driver spinning 20 µs
 *       before it parks, as {@code Async} on the JDK's scheduler does), then handed the turn again
 *       to finish; no Deferred;
 *   <li>a {@link CompletableFuture} with a pending {@code thenApply} continuation, completed;
 *   <li>a Deferred with a pending callback, fired.
 * </ul>
 *
 * <p>Each subject runs {@code rounds} times after a warm-up round of N/10; the table gives the
 * median of the rounds for each column. Times are per item: wall-clock time, and the CPU time of
 * the whole process (all threads: the JDK's scheduler's carrier threads, the garbage collector, the
 * JIT) over the same interval, so that a figure inflated by waiting for a busy core shows as wall
 * time well above CPU time. Heap figures are {@code totalMemory() - freeMemory()} after repeated
 * {@code System.gc()}: everything each approach keeps per waiting item (for {@code Async}: the
 * awaited Deferred and its callback, the coroutine, its result Deferred, its thread container, the
 * virtual thread and its stack).
 *
 * <p>Usage: {@code AsyncMemory [N [rounds]]}, N = 100000 and 5 rounds by default. Prints a Markdown
 * table.
 */
public final class AsyncMemory {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private AsyncMemory() {}

  /** One measured round of one subject. */
  private record Round(
      double bytesEach,
      double startNanos,
      double startCpu,
      double startOwnCpu,
      double resumeNanos,
      double resumeCpu,
      double resumeOwnCpu) {}

  /** Something that can make N waiters and then wake them all, one after another. */
  private interface Subject {
    String name();

    /** Creates n suspended waiters, keeping them reachable until {@link #resumeAll}. */
    void suspend(int n);

    /** Resumes every waiter, one after another, and checks each finished. */
    void resumeAll();
  }

  /**
   * Runs the measurement and prints the table.
   *
   * @param args optional: the number of waiters, the number of rounds
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Subject> subjects =
        List.of(new AsyncSubject(), new HandOffs(), new Futures(), new DeferredCallbacks());
    for (Subject s : subjects) { // warm-up round, not reported
      measure(s, Math.max(1, n / 10));
    }
    System.out.printf(
        Locale.ROOT,
        "N = %,d, %d rounds (median); java %s; %d cores%n%n",
        n,
        rounds,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| waiting item | bytes each (heap) | start + suspend, ns each | CPU ns | this thread's CPU"
            + " ns | resume, ns each | CPU ns | this thread's CPU ns |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Subject s : subjects) {
      List<Round> measured = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        measured.add(measure(s, n));
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
          s.name(),
          median(measured, Round::bytesEach),
          median(measured, Round::startNanos),
          median(measured, Round::startCpu),
          median(measured, Round::startOwnCpu),
          median(measured, Round::resumeNanos),
          median(measured, Round::resumeCpu),
          median(measured, Round::resumeOwnCpu));
    }
  }

  private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
    double[] values = rounds.stream().mapToDouble(f).sorted().toArray();
    int m = values.length / 2;
    return values.length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
  }

  private static Round measure(Subject s, int n) {
    long before = usedHeapAfterGc();
    long c0 = processCpuNanos();
    long o0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    s.suspend(n);
    long t1 = System.nanoTime();
    long o1 = THREADS.getCurrentThreadCpuTime();
    long c1 = processCpuNanos();
    long during = usedHeapAfterGc();
    long c2 = processCpuNanos();
    long o2 = THREADS.getCurrentThreadCpuTime();
    long t2 = System.nanoTime();
    s.resumeAll();
    long t3 = System.nanoTime();
    long o3 = THREADS.getCurrentThreadCpuTime();
    long c3 = processCpuNanos();
    return new Round(
        (during - before) / (double) n,
        (t1 - t0) / (double) n,
        (c1 - c0) / (double) n,
        (o1 - o0) / (double) n,
        (t3 - t2) / (double) n,
        (c3 - c2) / (double) n,
        (o3 - o2) / (double) n);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long now = rt.totalMemory() - rt.freeMemory();
      if (now >= used && i >= 3) {
        return Math.min(now, used);
      }
      used = Math.min(used, now);
    }
    return used;
  }

  /** Async bodies, each suspended on its own unfired Deferred. */
  private static final class AsyncSubject implements Subject {
    private List<Deferred<Integer>> awaited = new ArrayList<>();
    private List<Deferred<Integer>> results = new ArrayList<>();

    @Override
    public String name() {
      return "suspended `Async` coroutine";
    }

    @Override
    public void suspend(int n) {
      awaited = new ArrayList<>(n);
      results = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Deferred<Integer> d = Deferred.create();
        awaited.add(d);
        results.add(Async.run(() -> Async.await(d) + 1));
      }
    }

    @Override
    public void resumeAll() {
      for (int i = 0; i < awaited.size(); i++) {
        awaited.get(i).callback(i);
      }
      for (Deferred<Integer> r : results) {
        if (!r.hasResult()) {
          throw new IllegalStateException("a coroutine did not finish");
        }
      }
      awaited = new ArrayList<>();
      results = new ArrayList<>();
    }
  }

  /**
   * Bare virtual threads in lock-step with the driver: the mechanism under {@code Async} on the
   * JDK's scheduler, without Deferreds, coroutine bookkeeping or thread containers.
   */
  private static final class HandOffs implements Subject {
    private static final int DRIVER = 0;
    private static final int PEER = 1;
    private static final long SPIN_NANOS = 20_000;

    private static final class Cell {
      volatile int turn = PEER;
      Thread driver;
      Thread peer;
      int value;

      void handBack() {
        Thread d = driver;
        turn = DRIVER;
        LockSupport.unpark(d);
      }

      void waitForDriver() {
        while (turn != PEER) {
          LockSupport.park();
        }
      }

      void waitForPeer() {
        long start = System.nanoTime();
        while (turn != DRIVER) {
          if (System.nanoTime() - start < SPIN_NANOS) {
            Thread.onSpinWait();
          } else {
            LockSupport.park();
          }
        }
      }
    }

    private Cell[] cells = new Cell[0];

    @Override
    public String name() {
      return "bare virtual-thread hand-off (peer)";
    }

    @Override
    public void suspend(int n) {
      cells = new Cell[n];
      Thread me = Thread.currentThread();
      for (int i = 0; i < n; i++) {
        Cell c = new Cell();
        cells[i] = c;
        c.driver = me;
        c.peer =
            Thread.ofVirtual()
                .start(
                    () -> {
                      c.handBack(); // suspended: the driver goes on
                      c.waitForDriver();
                      c.value++;
                      c.handBack(); // finished
                    });
        c.waitForPeer();
      }
    }

    @Override
    public void resumeAll() {
      Thread me = Thread.currentThread();
      for (Cell c : cells) {
        c.driver = me;
        c.turn = PEER;
        LockSupport.unpark(c.peer);
        c.waitForPeer();
        if (c.value != 1) {
          throw new IllegalStateException("a peer did not finish");
        }
      }
      cells = new Cell[0];
    }
  }

  /** CompletableFutures with one pending continuation each. */
  private static final class Futures implements Subject {
    private static final IntUnaryOperator PLUS_ONE = v -> v + 1;
    private List<CompletableFuture<Integer>> pending = new ArrayList<>();
    private List<CompletableFuture<Integer>> chained = new ArrayList<>();

    @Override
    public String name() {
      return "CompletableFuture with a pending thenApply (peer)";
    }

    @Override
    public void suspend(int n) {
      pending = new ArrayList<>(n);
      chained = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        pending.add(f);
        chained.add(f.thenApply(PLUS_ONE::applyAsInt));
      }
    }

    @Override
    public void resumeAll() {
      for (int i = 0; i < pending.size(); i++) {
        pending.get(i).complete(i);
      }
      for (CompletableFuture<Integer> c : chained) {
        if (!c.isDone()) {
          throw new IllegalStateException("a continuation did not run");
        }
      }
      pending = new ArrayList<>();
      chained = new ArrayList<>();
    }
  }

  /** Deferreds with one pending callback each: the callback style. */
  private static final class DeferredCallbacks implements Subject {
    private List<Deferred<Integer>> pending = new ArrayList<>();
    private List<Deferred<Integer>> chained = new ArrayList<>();

    @Override
    public String name() {
      return "Deferred with a pending callback (peer)";
    }

    @Override
    public void suspend(int n) {
      pending = new ArrayList<>(n);
      chained = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Deferred<Integer> d = Deferred.create();
        pending.add(d);
        chained.add(d.addCallback(v -> v + 1));
      }
    }

    @Override
    public void resumeAll() {
      for (int i = 0; i < pending.size(); i++) {
        pending.get(i).callback(i);
      }
      for (Deferred<Integer> c : chained) {
        if (!c.hasResult()) {
          throw new IllegalStateException("a callback did not run");
        }
      }
      pending = new ArrayList<>();
      chained = new ArrayList<>();
    }
  }
}
