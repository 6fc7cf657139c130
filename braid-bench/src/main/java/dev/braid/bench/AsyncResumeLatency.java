package dev.braid.bench;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of one resumption: times the {@code callback()} call that resumes a suspended body and
 * returns when it has suspended again. With a pause before each round, the machine idles (the
 * carrier threads of the JDK's virtual-thread scheduler go to sleep), which is the usual case in a
 * reactor, where Deferreds fire as I/O arrives; with no pause, rounds follow each other at once.
 * The body is driven from a platform thread (as from a reactor thread today) and from a virtual
 * thread (as if the reactor loop ran on one). Peers timed the same way: the bare virtual-thread
 * hand-off (platform driver, same spin policy) and a {@link CompletableFuture} continuation, which
 * wakes no thread at all.
 *
 * <p>Usage: {@code AsyncResumeLatency [rounds [pauseMicros]]}, default 2000 rounds after a 200 µs
 * pause each. Prints a Markdown table of percentiles in microseconds.
 */
public final class AsyncResumeLatency {
  private AsyncResumeLatency() {}

  /**
   * Runs the measurement and prints the table.
   *
   * @param args optional: rounds, pause in microseconds
   * @throws InterruptedException if interrupted while ending the peer thread
   */
  public static void main(String[] args) throws InterruptedException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    long pauseNanos = (args.length > 1 ? Long.parseLong(args[1]) : 200) * 1000;

    long[] async = new long[rounds];
    long[] asyncVirtual = new long[rounds];
    long[] handOff = new long[rounds];
    long[] future = new long[rounds];
    for (int warm = 0; warm < 2; warm++) { // the first pass warms up; the second is reported
      measureAsync(async, pauseNanos);
      Thread virtualDriver = Thread.ofVirtual().start(() -> measureAsync(asyncVirtual, pauseNanos));
      virtualDriver.join();
      measureHandOff(handOff, pauseNanos);
      measureFuture(future, pauseNanos);
    }
    System.out.printf(
        Locale.ROOT,
        "%d rounds, %d µs pause before each; java %s; %d cores%n%n",
        rounds,
        pauseNanos / 1000,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("| one resumption | p50 µs | p90 µs | p99 µs |");
    System.out.println("|---|---:|---:|---:|");
    row("`Async` body, platform-thread driver", async);
    row("`Async` body, virtual-thread driver", asyncVirtual);
    row("virtual-thread hand-off (peer)", handOff);
    row("CompletableFuture continuation (peer)", future);
  }

  private static void row(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.1f | %.1f | %.1f |%n",
        what,
        pct(sorted, 50) / 1000.0,
        pct(sorted, 90) / 1000.0,
        pct(sorted, 99) / 1000.0);
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  private static void pause(long nanos) {
    if (nanos > 0) {
      LockSupport.parkNanos(nanos);
    }
  }

  private static final class Loop {
    Deferred<Integer> pending;
    boolean stopping;
  }

  private static void measureAsync(long[] out, long pauseNanos) {
    Loop loop = new Loop();
    Deferred<Void> body =
        Async.run(
            () -> {
              while (!loop.stopping) {
                Deferred<Integer> d = Deferred.create();
                loop.pending = d;
                Async.await(d);
              }
              return null;
            });
    for (int i = 0; i < out.length; i++) {
      pause(pauseNanos);
      long t0 = System.nanoTime();
      loop.pending.callback(i);
      out[i] = System.nanoTime() - t0;
    }
    loop.stopping = true;
    loop.pending.callback(0);
    if (!body.hasResult()) {
      throw new IllegalStateException("the body did not end");
    }
  }

  private static final class HandOff {
    volatile int turn;
    volatile boolean stopping;
    volatile Thread driver;
  }

  private static void measureHandOff(long[] out, long pauseNanos) throws InterruptedException {
    HandOff h = new HandOff();
    h.driver = Thread.currentThread();
    Thread peer =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (true) {
                    while (h.turn != 1) {
                      LockSupport.park();
                    }
                    boolean stop = h.stopping;
                    h.turn = 0;
                    LockSupport.unpark(h.driver);
                    if (stop) {
                      return;
                    }
                  }
                });
    for (int i = 0; i <= out.length; i++) {
      if (i == out.length) {
        h.stopping = true;
      }
      pause(pauseNanos);
      long t0 = System.nanoTime();
      h.turn = 1;
      LockSupport.unpark(peer);
      long spinStart = System.nanoTime();
      while (h.turn != 0 && System.nanoTime() - spinStart < 20_000) {
        Thread.onSpinWait();
      }
      while (h.turn != 0) {
        LockSupport.park();
      }
      if (i < out.length) {
        out[i] = System.nanoTime() - t0;
      }
    }
    peer.join();
  }

  private static void measureFuture(long[] out, long pauseNanos) {
    CompletableFuture<?>[] pending = new CompletableFuture<?>[1];
    Runnable[] next = new Runnable[1];
    next[0] =
        () -> {
          CompletableFuture<Integer> f = new CompletableFuture<>();
          pending[0] = f;
          f.thenAccept(v -> next[0].run());
        };
    next[0].run();
    for (int i = 0; i < out.length; i++) {
      pause(pauseNanos);
      long t0 = System.nanoTime();
      @SuppressWarnings("unchecked")
      CompletableFuture<Integer> f = (CompletableFuture<Integer>) pending[0];
      f.complete(i);
      out[i] = System.nanoTime() - t0;
    }
  }
}
