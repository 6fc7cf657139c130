import java.lang.management.ManagementFactory;
import java.util.Arrays;
import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * An experiment, not Braid code: what the JDK's internal continuations cost for the case of
 * braid-bench's AsyncMemory (N coroutines each suspended, then each resumed to its end, one after
 * another from this platform thread), measured to judge them as a base for Async (ADR 0019). A body
 * here is a bare continuation: it runs on the thread that calls run(), so Thread.currentThread()
 * and ThreadLocals are that thread's, which Async promises not to be the case.
 *
 * <p>Run as a single-file program (needs the internal package exported, at compile and run time):
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED bench/experiments/RawContinuations.java [N [rounds]]
 * </pre>
 */
public final class RawContinuations {
  private static final ContinuationScope SCOPE = new ContinuationScope("braid-experiment");

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    round(Math.max(1, n / 10)); // warm-up
    double[][] r = new double[rounds][];
    for (int i = 0; i < rounds; i++) {
      r[i] = round(n);
    }
    System.out.printf(
        "| raw `jdk.internal.vm.Continuation` (experiment) | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
        median(r, 0), median(r, 1), median(r, 2), median(r, 3), median(r, 4), median(r, 5), median(r, 6));
  }

  private static double median(double[][] r, int column) {
    double[] v = Arrays.stream(r).mapToDouble(x -> x[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double[] round(int n) {
    Continuation[] cs = new Continuation[n];
    int[] values = new int[n];
    long before = usedHeapAfterGc();
    long c0 = cpu();
    long o0 = own();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int k = i;
      Continuation c =
          new Continuation(
              SCOPE,
              () -> {
                Continuation.yield(SCOPE); // suspended until run() again
                values[k]++;
              });
      cs[i] = c;
      c.run();
    }
    long t1 = System.nanoTime();
    long o1 = own();
    long c1 = cpu();
    long during = usedHeapAfterGc();
    long c2 = cpu();
    long o2 = own();
    long t2 = System.nanoTime();
    for (Continuation c : cs) {
      c.run();
    }
    long t3 = System.nanoTime();
    long o3 = own();
    long c3 = cpu();
    for (int i = 0; i < n; i++) {
      if (!cs[i].isDone() || values[i] != 1) {
        throw new AssertionError("a continuation did not finish");
      }
    }
    return new double[] {
      (during - before) / (double) n,
      (t1 - t0) / (double) n,
      (c1 - c0) / (double) n,
      (o1 - o0) / (double) n,
      (t3 - t2) / (double) n,
      (c3 - c2) / (double) n,
      (o3 - o2) / (double) n
    };
  }

  private static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long own() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
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
}
