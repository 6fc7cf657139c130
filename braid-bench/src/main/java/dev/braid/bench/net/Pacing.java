package dev.braid.bench.net;

/**
 * How a poetry server sends its poem: at once ({@code delaySeconds} 0), or {@code numBytes} every
 * {@code delaySeconds}, as the tutorial's slow server does.
 *
 * @param delaySeconds the pause between pieces; 0 sends the whole poem at once
 * @param numBytes the size of one piece
 */
record Pacing(double delaySeconds, int numBytes) {
  /** The whole poem at once. */
  static final Pacing AT_ONCE = new Pacing(0, 0);

  boolean isAtOnce() {
    return delaySeconds == 0;
  }
}
