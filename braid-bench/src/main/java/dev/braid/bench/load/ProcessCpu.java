package dev.braid.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by another process, all its threads, user plus system: fields 14 and 15 of
 * {@code /proc/PID/stat}, in clock ticks ({@code getconf CLK_TCK}, 100 on Linux), so the resolution
 * is 10 ms. Linux only.
 */
final class ProcessCpu {
  private static final long NANOS_PER_TICK = 1_000_000_000L / clockTicksPerSecond();

  private ProcessCpu() {}

  /** User plus system CPU time of process {@code pid}, in nanoseconds. */
  static long nanos(int pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long utime = Long.parseLong(fields[11]); // field 14
    long stime = Long.parseLong(fields[12]); // field 15
    return (utime + stime) * NANOS_PER_TICK;
  }

  private static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
