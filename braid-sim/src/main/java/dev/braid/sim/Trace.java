package dev.braid.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The record of one simulated run, one line per event: the virtual time (seconds, six decimals),
 * who (a host's name, or {@code net} for the network itself) and what happened: connections made
 * and ended, bytes delivered, faults, partitions, crashes, the outcomes of tracked Deferreds, and
 * what the scenario wrote with {@link Simulation#note}. For example:
 *
 * <pre>
 * 0.000000 client-1 conn 1 connect fast-1:10000
 * 0.020113 fast-1 conn 1 accepted from client-1:49152
 * 0.040226 client-1 conn 1 connected
 * 0.040226 net conn 1 fault: reset after 37 bytes, fast-1 -&gt; client-1
 * 0.061002 client-1 conn 1 received 37 bytes
 * 0.061002 client-1 conn 1 lost: ConnectionLost: Connection reset by peer
 * 0.061002 client-1 deferred poem: failed: ConnectionLost: connection lost after 37 bytes ...
 * </pre>
 *
 * <p>A trace holds only what a run determines: no wall-clock time, identity hash code or iteration
 * order of a hash table, so the same seed writes the same bytes. A simulation records lines only
 * when asked ({@link Simulation.Builder#trace(boolean)}), since formatting them costs more than
 * running the events.
 *
 * <p>Threading: the simulation's thread.
 */
public final class Trace {
  private final boolean enabled;
  private final List<String> lines = new ArrayList<>();

  private Trace(boolean enabled) {
    this.enabled = enabled;
  }

  static Trace on() {
    return new Trace(true);
  }

  static Trace off() {
    return new Trace(false);
  }

  /** {@return true if this trace records lines} */
  public boolean enabled() {
    return enabled;
  }

  /** {@return the lines recorded so far, in order; empty when disabled} */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** {@return the lines, each ended by a newline} */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /**
   * Writes the lines to {@code file} as UTF-8, each ended by {@code \n}, replacing the file.
   *
   * @param file where to write
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    Files.writeString(file, text(), StandardCharsets.UTF_8);
  }

  void add(double time, String who, String what) {
    if (enabled) {
      lines.add(String.format(Locale.ROOT, "%.6f %s %s", time, who, what));
    }
  }
}
