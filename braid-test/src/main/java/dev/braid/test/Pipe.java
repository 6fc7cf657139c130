package dev.braid.test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Random;

/**
 * One direction of a {@link ConnectedPair}: the bytes one side has written and the other has not
 * yet received, with the test's controls over how and when they arrive.
 *
 * <ul>
 *   <li>How: {@link #chunkSize(int)} or {@link #randomChunks(long, int)} split deliveries into
 *       reads of at most so many bytes (across write boundaries, as TCP does); by default
 *       everything due arrives in one read.
 *   <li>When: {@link #latency(Duration)} makes each write due that long after it was written, on
 *       the pair's clock; {@link #hold()} stops delivery altogether (a peer that stops reading)
 *       until {@link #release()}; {@link #deliver(int)} delivers bytes now, whatever else applies.
 * </ul>
 *
 * <p>Threading: the test's thread only.
 */
public final class Pipe {
  private record Segment(byte[] data, double due) {}

  private final ConnectedPair<?, ?> pair;
  private final String name;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private int headOffset;
  private int pending;
  private double latency;
  private int chunkSize = Integer.MAX_VALUE;
  private Random random;
  private int randomMax;
  private boolean held;

  Pipe(ConnectedPair<?, ?> pair, String name) {
    this.pair = pair;
    this.name = name;
  }

  /**
   * Splits every delivery into reads of at most {@code size} bytes.
   *
   * @param size the largest read, at least 1
   * @return this pipe
   */
  public Pipe chunkSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("chunk size must be at least 1: " + size);
    }
    this.chunkSize = size;
    this.random = null;
    return this;
  }

  /**
   * Splits every delivery into reads of random sizes from 1 to {@code max}, from {@code seed}.
   *
   * @param seed the seed; print it in the test to replay a failure
   * @param max the largest read
   * @return this pipe
   */
  public Pipe randomChunks(long seed, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max chunk must be at least 1: " + max);
    }
    this.random = new Random(seed);
    this.randomMax = max;
    return this;
  }

  /**
   * Delays every write from now on by {@code delay} on the pair's clock.
   *
   * @param delay the one-way latency, not negative
   * @return this pipe
   */
  public Pipe latency(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + delay);
    }
    this.latency = dev.braid.defer.Clock.toSeconds(delay);
    return this;
  }

  /**
   * Stops delivering until {@link #release()}: the receiver is not reading, and the writer's bytes
   * pile up here (and push back on its producer).
   *
   * @return this pipe
   */
  public Pipe hold() {
    held = true;
    return this;
  }

  /**
   * Delivers again from the next pump on.
   *
   * @return this pipe
   */
  public Pipe release() {
    held = false;
    return this;
  }

  /** {@return how many bytes were written and not yet delivered} */
  public int pending() {
    return pending;
  }

  /**
   * Delivers up to {@code maxBytes} of the pending bytes now, in one read, held or not and due or
   * not; then the writer's producer may be resumed.
   *
   * @param maxBytes how many bytes at most
   * @return how many bytes were delivered
   */
  public int deliver(int maxBytes) {
    byte[] data = take(maxBytes, Double.POSITIVE_INFINITY);
    if (data.length > 0) {
      pair.receive(this, data);
    }
    pair.afterDelivery(this);
    return data.length;
  }

  // ---------------------------------------------------------------------------------------------
  // For ConnectedPair

  void write(byte[] data, double now) {
    Objects.requireNonNull(data, "data");
    if (data.length == 0) {
      return;
    }
    segments.addLast(new Segment(data.clone(), now + latency));
    pending += data.length;
  }

  boolean held() {
    return held;
  }

  void clear() {
    segments.clear();
    headOffset = 0;
    pending = 0;
  }

  /** The due time of the first write not yet due, or +infinity. */
  double nextDue(double now) {
    for (Segment segment : segments) {
      if (segment.due() > now) {
        return segment.due();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** The size of the next read: the chunking's choice. */
  int nextReadSize() {
    return random != null ? 1 + random.nextInt(randomMax) : chunkSize;
  }

  /** Takes up to max bytes of the writes due at now, across segment boundaries. */
  byte[] take(int max, double now) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int remaining = max;
    while (remaining > 0 && !segments.isEmpty() && segments.peekFirst().due() <= now) {
      Segment head = segments.peekFirst();
      int n = Math.min(remaining, head.data().length - headOffset);
      out.write(head.data(), headOffset, n);
      headOffset += n;
      remaining -= n;
      pending -= n;
      if (headOffset == head.data().length) {
        segments.removeFirst();
        headOffset = 0;
      }
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "Pipe{" + name + ", " + pending + " bytes pending" + (held ? ", held" : "") + "}";
  }
}
