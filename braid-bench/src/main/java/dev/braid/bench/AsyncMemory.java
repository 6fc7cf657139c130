package dev.braid.bench;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Memory for many suspended coroutines at once: starts N {@link Async} bodies that each suspend on
 * their own unfired Deferred, measures the heap after a full GC before and after, then fires every
 * Deferred and times the resumptions. Peers measured the same way in the same run: N bare virtual
 * threads parked with {@link LockSupport}, N Deferreds each with a pending callback, and N {@link
 * CompletableFuture}s each with a pending continuation.
 *
 * <p>Usage: {@code AsyncMemory [N]}, N = 100000 by default. Prints a Markdown table. Heap figures
 * are {@code Runtime.totalMemory() - freeMemory()} after repeated {@code System.gc()}, so they
 * include everything each approach keeps per waiting item (for {@code Async}: the awaited Deferred
 * and its callback, the coroutine, its result Deferred, the virtual thread and its stack).
 */
public final class AsyncMemory {
  private AsyncMemory() {}

  /** One measured approach. */
  private record Row(
      String what, double bytesEach, double startNanosEach, double resumeNanosEach) {}

  /** Something that can make N waiters and then wake them all. */
  private interface Subject {
    String name();

    /** Creates n suspended waiters, keeping them reachable until {@link #resumeAll}. */
    void suspend(int n);

    /** Resumes every waiter and checks each finished. */
    void resumeAll();
  }

  /**
   * Runs the measurement and prints the table.
   *
   * @param args optional: the number of waiters
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    List<Subject> subjects =
        List.of(new AsyncSubject(), new ParkedThreads(), new DeferredCallbacks(), new Futures());
    for (Subject s : subjects) { // warm-up round, not reported
      measure(s, Math.max(1, n / 10));
    }
    List<Row> rows = new ArrayList<>();
    for (Subject s : subjects) {
      rows.add(measure(s, n));
    }
    System.out.printf(
        Locale.ROOT,
        "N = %,d; java %s; %d cores%n%n",
        n,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("| waiting item | bytes each (heap) | create, ns each | resume, ns each |");
    System.out.println("|---|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %,.0f | %,.0f |%n",
          r.what(),
          r.bytesEach(),
          r.startNanosEach(),
          r.resumeNanosEach());
    }
  }

  private static Row measure(Subject s, int n) {
    long before = usedHeapAfterGc();
    long t0 = System.nanoTime();
    s.suspend(n);
    long t1 = System.nanoTime();
    long during = usedHeapAfterGc();
    long t2 = System.nanoTime();
    s.resumeAll();
    long t3 = System.nanoTime();
    return new Row(
        s.name(), (during - before) / (double) n, (t1 - t0) / (double) n, (t3 - t2) / (double) n);
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

  /** Bare virtual threads parked until their flag is set. */
  private static final class ParkedThreads implements Subject {
    private static final class Waiter {
      volatile boolean go;
    }

    private List<Thread> threads = new ArrayList<>();
    private List<Waiter> waiters = new ArrayList<>();

    @Override
    public String name() {
      return "parked virtual thread (peer)";
    }

    @Override
    public void suspend(int n) {
      threads = new ArrayList<>(n);
      waiters = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Waiter w = new Waiter();
        waiters.add(w);
        threads.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      while (!w.go) {
                        LockSupport.park();
                      }
                    }));
      }
    }

    @Override
    public void resumeAll() {
      for (int i = 0; i < threads.size(); i++) {
        waiters.get(i).go = true;
        LockSupport.unpark(threads.get(i));
      }
      try {
        for (Thread t : threads) {
          t.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      threads = new ArrayList<>();
      waiters = new ArrayList<>();
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
      pending = new ArrayList<>();
      chained = new ArrayList<>();
    }
  }

  /** CompletableFutures with one pending continuation each. */
  private static final class Futures implements Subject {
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
        chained.add(f.thenApply(v -> v + 1));
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
}
