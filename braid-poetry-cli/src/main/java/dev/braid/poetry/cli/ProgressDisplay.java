package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Live per-server download progress on a terminal, one line per server ("got 40 bytes of poetry
 * from 127.0.0.1:10000"), redrawn in place with ANSI cursor movement, and erased when the downloads
 * are over. {@link #disabled()} draws nothing: used whenever the output is not a terminal, so
 * redirected output never contains progress.
 *
 * <p>Byte counts are redrawn at most every {@value #INTERVAL_SECONDS} seconds; a source that
 * finishes or fails is redrawn at once, so every finished source is shown "done" (the last one too)
 * and a failed one with its reason, once. Each line is drawn with the terminal's line wrapping off
 * (DECAWM, {@code ESC[?7l}, on again after the frame), so a line wider than the terminal is cut at
 * its edge instead of taking two rows: the cursor moves back over exactly the rows drawn, and no
 * stale row is left behind to repeat a line.
 *
 * <p>Threading: reactor thread only (it schedules its redraws on the reactor's clock).
 */
final class ProgressDisplay {
  static final double INTERVAL_SECONDS = 0.05;
  private static final String ESC = "\u001b[";
  private static final String WRAP_OFF = ESC + "?7l";
  private static final String WRAP_ON = ESC + "?7h";

  private enum State {
    RUNNING,
    DONE,
    FAILED
  }

  private final PrintStream err;
  private final Clock clock;
  private final List<String> labels;
  private final long[] bytes;
  private final State[] states;
  private final String[] reasons;
  private final boolean enabled;
  private int drawnLines;
  private double lastDraw = Double.NEGATIVE_INFINITY;
  private DelayedCall pending;
  private boolean closed;

  private ProgressDisplay(PrintStream err, Clock clock, List<String> labels, boolean enabled) {
    this.err = err;
    this.clock = clock;
    this.labels = List.copyOf(labels);
    this.bytes = new long[labels.size()];
    this.states = new State[labels.size()];
    this.reasons = new String[labels.size()];
    java.util.Arrays.fill(states, State.RUNNING);
    this.enabled = enabled;
  }

  /** A display that draws nothing. */
  static ProgressDisplay disabled() {
    return new ProgressDisplay(null, null, List.of(), false);
  }

  /**
   * A live display.
   *
   * @param err the terminal's stream
   * @param clock times the redraws
   * @param labels one per server, in order
   */
  static ProgressDisplay live(PrintStream err, Clock clock, List<String> labels) {
    return new ProgressDisplay(err, clock, labels, true);
  }

  void update(int index, long bytesSoFar) {
    if (enabled) {
      bytes[index] = bytesSoFar;
      requestDraw();
    }
  }

  void done(int index, long total) {
    if (enabled) {
      bytes[index] = total;
      states[index] = State.DONE;
      drawNow();
    }
  }

  void failed(int index, String reason) {
    if (enabled) {
      states[index] = State.FAILED;
      reasons[index] = reason;
      drawNow();
    }
  }

  /** A source's state changed: drawn at once, not throttled. */
  private void drawNow() {
    if (closed) {
      return;
    }
    if (pending != null && pending.active()) {
      pending.cancel();
    }
    pending = null;
    draw();
  }

  /**
   * Stops redrawing and erases the progress lines, so that what stays on the terminal is the
   * command's real output (the poems, and one line per failure). Idempotent.
   */
  void close() {
    if (!enabled || closed) {
      return;
    }
    if (pending != null && pending.active()) {
      pending.cancel();
    }
    pending = null;
    closed = true;
    if (drawnLines > 0) {
      err.print(ESC + drawnLines + "A\r" + ESC + "J");
      err.flush();
    }
  }

  private void requestDraw() {
    if (closed) {
      return;
    }
    double since = clock.seconds() - lastDraw;
    if (since >= INTERVAL_SECONDS) {
      draw();
    } else if (pending == null) {
      pending =
          clock.callLater(
              INTERVAL_SECONDS - since,
              () -> {
                pending = null;
                draw();
              });
    }
  }

  private void draw() {
    StringBuilder sb = new StringBuilder(WRAP_OFF);
    if (drawnLines > 0) {
      sb.append(ESC).append(drawnLines).append('A');
    }
    for (int i = 0; i < labels.size(); i++) {
      sb.append('\r').append(ESC).append("2K").append(line(i)).append('\n');
    }
    sb.append(WRAP_ON);
    err.print(sb);
    err.flush();
    drawnLines = labels.size();
    lastDraw = clock.seconds();
  }

  String line(int i) {
    return switch (states[i]) {
      case RUNNING ->
          String.format(Locale.ROOT, "got %d bytes of poetry from %s", bytes[i], labels.get(i));
      case DONE ->
          String.format(
              Locale.ROOT, "got %d bytes of poetry from %s, done", bytes[i], labels.get(i));
      case FAILED -> labels.get(i) + ": " + reasons[i];
    };
  }
}
