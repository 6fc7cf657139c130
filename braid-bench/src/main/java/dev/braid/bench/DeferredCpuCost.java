package dev.braid.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Compares versions of {@code braid-defer} in one JVM, by CPU time: each version is loaded in a
 * class loader of its own together with {@link CpuCases}, and the rounds alternate between the
 * versions in a shuffled order, so that a busy machine slows all of them alike. Each sample is the
 * thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime()}) for {@link #OPS} runs of a
 * case, which leaves out the time the thread waited for a core: on a machine shared with other
 * work, it is steadier than JMH's wall-clock time (JMH remains the reference on a quiet machine).
 *
 * <pre>
 * java -cp braid-bench/target/classes dev.braid.bench.DeferredCpuCost \
 *     base=/tmp/base-classes this=braid-defer/target/braid-defer-0.1.0-SNAPSHOT.jar
 * </pre>
 *
 * Prints, per case, the median nanoseconds of CPU per operation of each version, the
 * CompletableFuture peer measured in the same loader, and each version's ratio to the first. With
 * {@code -Dbraid.debug=true} every version runs in debug mode (fewer operations per sample then:
 * {@code -Dbraid.bench.ops=2000}).
 */
public final class DeferredCpuCost {
  /** Runs of a case per sample (system property {@code braid.bench.ops}). */
  static final int OPS = Integer.getInteger("braid.bench.ops", 200_000);

  /** Rounds left out while the JIT compiles (system property {@code braid.bench.warmUpRounds}). */
  static final int WARM_UP_ROUNDS = Integer.getInteger("braid.bench.warmUpRounds", 8);

  /** Rounds measured (system property {@code braid.bench.rounds}). */
  static final int ROUNDS = Integer.getInteger("braid.bench.rounds", 25);

  private DeferredCpuCost() {}

  /**
   * Runs the comparison.
   *
   * @param args {@code name=classpath} per version of {@code braid-defer}, the first being the
   *     reference; a classpath is a directory or jar
   * @throws Exception if a version cannot be loaded
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: DeferredCpuCost name=classpath...");
      System.exit(2);
    }
    URL bench = CpuCases.class.getProtectionDomain().getCodeSource().getLocation();
    Map<String, Method> versions = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.substring(0, eq);
      URL defer = Path.of(arg.substring(eq + 1)).toUri().toURL();
      // Parent: the platform loader, so that neither version sees the application class path.
      URLClassLoader loader =
          new URLClassLoader(name, new URL[] {defer, bench}, ClassLoader.getPlatformClassLoader());
      versions.put(
          name,
          loader.loadClass(CpuCases.class.getName()).getMethod("run", String.class, int.class));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(versions.keySet());
    Random random = new Random(42);
    long sink = 0;
    for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      Collections.shuffle(order, random);
      for (String version : order) {
        Method run = versions.get(version);
        for (String name : CpuCases.NAMES) {
          long start = threads.getCurrentThreadCpuTime();
          sink += (long) run.invoke(null, name, OPS);
          long cpu = threads.getCurrentThreadCpuTime() - start;
          if (round >= WARM_UP_ROUNDS) {
            samples
                .computeIfAbsent(version + " " + name, k -> new ArrayList<>())
                .add((double) cpu / OPS);
          }
        }
      }
    }
    String reference = versions.keySet().iterator().next();
    StringBuilder header = new StringBuilder("| case |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String version : versions.keySet()) {
      header
          .append(" ")
          .append(version)
          .append(" Deferred | ")
          .append(version)
          .append(" CompletableFuture | ")
          .append(version)
          .append(" ratio |");
      rule.append("---:|---:|---:|");
    }
    header.append(" Deferred: ").append(String.join(" / ", versions.keySet())).append(" |");
    rule.append("---:|");
    System.out.println(header);
    System.out.println(rule);
    for (int i = 0; i < CpuCases.NAMES.length; i += 2) {
      String deferred = CpuCases.NAMES[i];
      String future = CpuCases.NAMES[i + 1];
      StringBuilder line = new StringBuilder("| " + deferred.substring("deferred".length()) + " |");
      List<String> versusReference = new ArrayList<>();
      for (String version : versions.keySet()) {
        double d = median(samples.get(version + " " + deferred));
        double f = median(samples.get(version + " " + future));
        line.append(String.format(Locale.ROOT, " %.1f | %.1f | %.2f |", d, f, d / f));
        versusReference.add(
            String.format(
                Locale.ROOT, "%.3f", d / median(samples.get(reference + " " + deferred))));
      }
      line.append(" ").append(String.join(" / ", versusReference)).append(" |");
      System.out.println(line);
    }
    System.out.println(
        "(median of "
            + ROUNDS
            + " rounds after "
            + WARM_UP_ROUNDS
            + " warm-up rounds; CPU ns per operation; "
            + OPS
            + " operations per sample; checksum "
            + sink
            + ")");
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
