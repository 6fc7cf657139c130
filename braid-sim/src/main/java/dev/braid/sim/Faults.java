package dev.braid.sim;

import dev.braid.defer.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * What can go wrong on a simulated network, and how often: the settings from which a {@link
 * Simulation} draws every delay and fault with its one seeded random source. Immutable (a copy's
 * fields are set only before it is returned); each {@code with} method returns a copy.
 *
 * <h2>Per link (a pair of hosts)</h2>
 *
 * <ul>
 *   <li>Latency: one-way, drawn once per link from {@link #withLatency [min, max]}, plus a {@link
 *       #withJitter jitter} drawn per segment; segments never overtake each other.
 * </ul>
 *
 * <h2>Per connection, drawn when it is accepted</h2>
 *
 * <ul>
 *   <li>Chunking: in a {@link #withChunks share} of the directions, bytes travel in segments of at
 *       most a random 1 to {@code max} bytes, so reads split anywhere; elsewhere a segment carries
 *       whatever the window allows.
 *   <li>A cut, in one direction chosen at random, after a byte count drawn from 0 to {@link
 *       #withCutWithin cutWithin}: a {@link #withResets reset} (the receiver gets the bytes before
 *       it, then a reset; the sender a reset), a {@link #withCleanCloses clean close} (the receiver
 *       gets the bytes, then the end of the stream, indistinguishable from a real end; the sender a
 *       reset), or a {@link #withHangs hang} (nothing more arrives, not even the end, and the
 *       connection stays open until someone's timeout). At most one cut per connection; a stream
 *       that ends before the count ends normally.
 * </ul>
 *
 * <h2>Over time, until the {@link #withHorizon horizon}</h2>
 *
 * <ul>
 *   <li>{@link #withPartitions Partitions}: a booted host (one with a {@linkplain SimHost#boot boot
 *       program}) is cut off from another host for a while. Segments between them wait (TCP
 *       retransmits) and arrive once it heals; a connection that waits longer than the {@link
 *       #withRetransmitTimeout retransmission timeout} is reset at both ends ("Connection timed
 *       out"). Connection attempts retry their SYN at 1, 2, 4… seconds until their own timeout.
 *   <li>{@link #withCrashes Crashes}: a booted host dies at once (its protocols are told nothing,
 *       its timers never run; its peers are reset) and boots again after a downtime.
 *   <li>{@link #withRestarts Restarts}: a booted host shuts down gracefully ({@link
 *       SimHost#stop()}, its shutdown triggers run, e.g. a {@code ConnectionDrain}) and boots again
 *       after a downtime.
 * </ul>
 *
 * <p>{@link #none()} is a perfect network with a fixed small latency; {@link #standard()} turns on
 * a bit of everything. Durations are on the simulation's virtual clock.
 */
public final class Faults {
  /** The latency of {@link #none()}: 1 ms each way. */
  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(1);

  private double minLatency;
  private double maxLatency;
  private double jitter;
  private double chunkedShare;
  private int maxChunk;
  private double resetShare;
  private double closeShare;
  private double hangShare;
  private int cutWithin;
  private double partitionsPerMinute;
  private double minPartition;
  private double maxPartition;
  private double crashesPerMinute;
  private double restartsPerMinute;
  private double minDowntime;
  private double maxDowntime;
  private double retransmitTimeout;
  private double horizon;

  private Faults() {}

  /** {@return a copy of these settings, for a {@code with} method to change before returning it} */
  private Faults copy() {
    Faults f = new Faults();
    f.minLatency = minLatency;
    f.maxLatency = maxLatency;
    f.jitter = jitter;
    f.chunkedShare = chunkedShare;
    f.maxChunk = maxChunk;
    f.resetShare = resetShare;
    f.closeShare = closeShare;
    f.hangShare = hangShare;
    f.cutWithin = cutWithin;
    f.partitionsPerMinute = partitionsPerMinute;
    f.minPartition = minPartition;
    f.maxPartition = maxPartition;
    f.crashesPerMinute = crashesPerMinute;
    f.restartsPerMinute = restartsPerMinute;
    f.minDowntime = minDowntime;
    f.maxDowntime = maxDowntime;
    f.retransmitTimeout = retransmitTimeout;
    f.horizon = horizon;
    return f;
  }

  /**
   * {@return a perfect network: {@link #DEFAULT_LATENCY} (1 ms) of latency each way, no jitter, no
   * chunking, no fault of any kind}
   */
  public static Faults none() {
    Faults f = new Faults();
    f.minLatency = Clock.toSeconds(DEFAULT_LATENCY);
    f.maxLatency = f.minLatency;
    f.maxChunk = 1;
    f.cutWithin = 1;
    f.minPartition = 1;
    f.maxPartition = 1;
    f.minDowntime = 1;
    f.maxDowntime = 1;
    f.retransmitTimeout = 20;
    f.horizon = 60;
    return f;
  }

  /**
   * {@return a bit of everything: 0.5 to 50 ms latency with 5 ms jitter; random chunks of up to 64
   * bytes in half the directions; 5% of connections reset, 5% hung (cut within 2,000 bytes); no
   * clean closes (most protocols cannot tell them from a real end); two partitions of 0.5 to 8 s,
   * one crash and one graceful restart per simulated minute, hosts down 1 to 5 s; retransmission
   * timeout 20 s; faults begin only in the first 60 s}
   */
  public static Faults standard() {
    return none()
        .withLatency(Duration.ofNanos(500_000), Duration.ofMillis(50))
        .withJitter(Duration.ofMillis(5))
        .withChunks(0.5, 64)
        .withResets(0.05)
        .withHangs(0.05)
        .withCutWithin(2000)
        .withPartitions(2, Duration.ofMillis(500), Duration.ofSeconds(8))
        .withCrashes(1)
        .withRestarts(1)
        .withDowntime(Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  /**
   * Sets the one-way latency range of a link; each link's latency is drawn from it once.
   *
   * @param min the shortest, positive
   * @param max the longest, at least {@code min}
   * @return a copy with that range
   */
  public Faults withLatency(Duration min, Duration max) {
    double lo = positive(min, "min latency");
    double hi = positive(max, "max latency");
    if (hi < lo) {
      throw new IllegalArgumentException("max latency " + max + " is less than min " + min);
    }
    Faults f = copy();
    f.minLatency = lo;
    f.maxLatency = hi;
    return f;
  }

  /**
   * Sets the jitter: each segment takes up to this much longer than the link's latency (in order).
   *
   * @param jitter not negative
   * @return a copy with that jitter
   */
  public Faults withJitter(Duration jitter) {
    Faults f = copy();
    f.jitter = notNegative(jitter, "jitter");
    return f;
  }

  /**
   * Splits the bytes of a share of the connections' directions into segments of random sizes.
   *
   * @param share from 0 to 1
   * @param max the largest segment in a chunked direction: each such direction draws its own limit
   *     from 1 to {@code max}, and each segment a size from 1 to that limit
   * @return a copy with that chunking
   */
  public Faults withChunks(double share, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max chunk must be at least 1: " + max);
    }
    Faults f = copy();
    f.chunkedShare = share(share);
    f.maxChunk = max;
    return f;
  }

  /**
   * Resets a share of the connections after some bytes.
   *
   * @param share from 0 to 1
   * @return a copy
   */
  public Faults withResets(double share) {
    return cuts(share(share), closeShare, hangShare);
  }

  /**
   * Closes a share of the connections cleanly after some bytes: the receiver cannot tell it from
   * the real end of the stream unless its protocol frames its messages.
   *
   * @param share from 0 to 1
   * @return a copy
   */
  public Faults withCleanCloses(double share) {
    return cuts(resetShare, share(share), hangShare);
  }

  /**
   * Hangs a share of the connections after some bytes.
   *
   * @param share from 0 to 1
   * @return a copy
   */
  public Faults withHangs(double share) {
    return cuts(resetShare, closeShare, share(share));
  }

  /**
   * Sets where cuts fall: after 0 to {@code bytes} - 1 bytes.
   *
   * @param bytes at least 1
   * @return a copy
   */
  public Faults withCutWithin(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("cutWithin must be at least 1: " + bytes);
    }
    Faults f = copy();
    f.cutWithin = bytes;
    return f;
  }

  /**
   * Sets the partitions: how often one begins, and how long each lasts.
   *
   * @param perMinute the mean number per simulated minute, not negative (0: none)
   * @param min the shortest, positive
   * @param max the longest, at least {@code min}
   * @return a copy
   */
  public Faults withPartitions(double perMinute, Duration min, Duration max) {
    double lo = positive(min, "min partition");
    double hi = positive(max, "max partition");
    if (hi < lo) {
      throw new IllegalArgumentException("max partition " + max + " is less than min " + min);
    }
    Faults f = copy();
    f.partitionsPerMinute = rate(perMinute);
    f.minPartition = lo;
    f.maxPartition = hi;
    return f;
  }

  /**
   * Sets how often a booted host crashes.
   *
   * @param perMinute the mean number per simulated minute, not negative (0: none)
   * @return a copy
   */
  public Faults withCrashes(double perMinute) {
    Faults f = copy();
    f.crashesPerMinute = rate(perMinute);
    return f;
  }

  /**
   * Sets how often a booted host shuts down gracefully and boots again.
   *
   * @param perMinute the mean number per simulated minute, not negative (0: none)
   * @return a copy
   */
  public Faults withRestarts(double perMinute) {
    Faults f = copy();
    f.restartsPerMinute = rate(perMinute);
    return f;
  }

  /**
   * Sets how long a crashed or stopped host stays down before it boots again.
   *
   * @param min the shortest, positive
   * @param max the longest, at least {@code min}
   * @return a copy
   */
  public Faults withDowntime(Duration min, Duration max) {
    double lo = positive(min, "min downtime");
    double hi = positive(max, "max downtime");
    if (hi < lo) {
      throw new IllegalArgumentException("max downtime " + max + " is less than min " + min);
    }
    Faults f = copy();
    f.minDowntime = lo;
    f.maxDowntime = hi;
    return f;
  }

  /**
   * Sets how long a connection waits on a partition before both ends are reset.
   *
   * @param timeout positive
   * @return a copy
   */
  public Faults withRetransmitTimeout(Duration timeout) {
    Faults f = copy();
    f.retransmitTimeout = positive(timeout, "retransmit timeout");
    return f;
  }

  /**
   * Sets the horizon: partitions, crashes and restarts begin only before this time (a host that
   * went down before it still comes back), so a run can settle.
   *
   * @param horizon not negative
   * @return a copy
   */
  public Faults withHorizon(Duration horizon) {
    Faults f = copy();
    f.horizon = notNegative(horizon, "horizon");
    return f;
  }

  // ---------------------------------------------------------------------------------------------
  // For the simulation

  double minLatency() {
    return minLatency;
  }

  double maxLatency() {
    return maxLatency;
  }

  double jitter() {
    return jitter;
  }

  double chunkedShare() {
    return chunkedShare;
  }

  int maxChunk() {
    return maxChunk;
  }

  double resetShare() {
    return resetShare;
  }

  double closeShare() {
    return closeShare;
  }

  double hangShare() {
    return hangShare;
  }

  int cutWithin() {
    return cutWithin;
  }

  double partitionsPerMinute() {
    return partitionsPerMinute;
  }

  double minPartition() {
    return minPartition;
  }

  double maxPartition() {
    return maxPartition;
  }

  double crashesPerMinute() {
    return crashesPerMinute;
  }

  double restartsPerMinute() {
    return restartsPerMinute;
  }

  double minDowntime() {
    return minDowntime;
  }

  double maxDowntime() {
    return maxDowntime;
  }

  double retransmitTimeout() {
    return retransmitTimeout;
  }

  double horizon() {
    return horizon;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Faults{latency %s-%s s, jitter %s s, chunked %s (max %d), resets %s, clean closes %s,"
            + " hangs %s (within %d bytes), partitions %s/min (%s-%s s), crashes %s/min, restarts"
            + " %s/min (down %s-%s s), retransmit timeout %s s, horizon %s s}",
        minLatency,
        maxLatency,
        jitter,
        chunkedShare,
        maxChunk,
        resetShare,
        closeShare,
        hangShare,
        cutWithin,
        partitionsPerMinute,
        minPartition,
        maxPartition,
        crashesPerMinute,
        restartsPerMinute,
        minDowntime,
        maxDowntime,
        retransmitTimeout,
        horizon);
  }

  private Faults cuts(double resets, double closes, double hangs) {
    if (resets + closes + hangs > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "the shares of resets, clean closes and hangs add up to more than 1: "
              + resets
              + " + "
              + closes
              + " + "
              + hangs);
    }
    Faults f = copy();
    f.resetShare = resets;
    f.closeShare = closes;
    f.hangShare = hangs;
    return f;
  }

  private static double positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return Clock.toSeconds(d);
  }

  private static double notNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return Clock.toSeconds(d);
  }

  private static double share(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("a share must be from 0 to 1: " + share);
    }
    return share;
  }

  private static double rate(double perMinute) {
    if (!(perMinute >= 0) || Double.isInfinite(perMinute)) {
      throw new IllegalArgumentException("a rate must be a finite number >= 0: " + perMinute);
    }
    return perMinute;
  }
}
