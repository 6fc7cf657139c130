package dev.braid.poetry;

import java.time.Duration;
import java.util.Objects;

/**
 * How a poetry server sends its poem: all at once, or {@code numBytes} at a time with a delay
 * between pieces, like the tutorial's {@code slowpoetry.py} ({@code --num-bytes}, {@code --delay}).
 *
 * <p>A slow server writes the first piece as soon as the client connects, then one piece per {@code
 * delay}, and closes the connection right after the last piece.
 *
 * @param numBytes bytes per piece; ignored when {@code delay} is zero
 * @param delay the time between pieces; zero sends the whole poem at once
 */
public record Pacing(int numBytes, Duration delay) {
  /** The tutorial's default piece size, 10 bytes. */
  public static final int DEFAULT_NUM_BYTES = 10;

  /**
   * Checks the values.
   *
   * @param numBytes bytes per piece, at least 1
   * @param delay the time between pieces, not negative
   * @throws IllegalArgumentException if a value is out of range
   */
  public Pacing {
    Objects.requireNonNull(delay, "delay");
    if (numBytes < 1) {
      throw new IllegalArgumentException("numBytes must be at least 1: " + numBytes);
    }
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
  }

  /**
   * Sends the whole poem at once, then closes (the tutorial's {@code fastpoetry.py}).
   *
   * @return the pacing of a fast server
   */
  public static Pacing atOnce() {
    return new Pacing(DEFAULT_NUM_BYTES, Duration.ZERO);
  }

  /**
   * Sends {@code numBytes} every {@code delay} (the tutorial's {@code slowpoetry.py}).
   *
   * @param numBytes bytes per piece, at least 1
   * @param delay the time between pieces; zero means at once
   * @return the pacing of a slow server
   */
  public static Pacing chunks(int numBytes, Duration delay) {
    return new Pacing(numBytes, delay);
  }

  /** {@return true when the poem goes out in one write: {@code delay} is zero} */
  public boolean isAtOnce() {
    return delay.isZero();
  }
}
