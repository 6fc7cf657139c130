package dev.braid.test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A way to split a byte stream into reads, for running a parser test under every chunking (the
 * style guide's chunking matrix: whole, one byte at a time, Twisted's packet sizes 1–9, and random
 * splits with a seed that is printed in the name).
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("dev.braid.test.Chunking#matrix")
 * void parsesTwoNetstrings(Chunking chunking) {
 *   for (byte[] read : chunking.split(bytes("3:abc,2:de,"))) {
 *     receiver.dataReceived(read);
 *   }
 *   ...
 * }
 * }</pre>
 *
 * <p>Reads are never empty, as a reactor never delivers an empty read. A random chunking's seed is
 * in its {@link #toString()} (so in the test's display name); to replay one, set the system
 * property {@value #SEED_PROPERTY} to it.
 */
public final class Chunking {
  /** The system property that fixes the seed of {@link #matrix()}'s random chunking. */
  public static final String SEED_PROPERTY = "braid.chunking.seed";

  private final String name;
  private final int size;
  private final long seed;
  private final int maxChunk;

  private Chunking(String name, int size, long seed, int maxChunk) {
    this.name = name;
    this.size = size;
    this.seed = seed;
    this.maxChunk = maxChunk;
  }

  /**
   * All the bytes in one read.
   *
   * @return the chunking
   */
  public static Chunking whole() {
    return new Chunking("whole", Integer.MAX_VALUE, 0, 0);
  }

  /**
   * One byte per read (Okio's {@code ONE_BYTE_AT_A_TIME}).
   *
   * @return the chunking
   */
  public static Chunking oneByteAtATime() {
    return new Chunking("one byte at a time", 1, 0, 0);
  }

  /**
   * Reads of {@code size} bytes, the last one shorter (Twisted's packet sizes).
   *
   * @param size bytes per read, at least 1
   * @return the chunking
   */
  public static Chunking packets(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("packet size must be at least 1: " + size);
    }
    return new Chunking("packets of " + size, size, 0, 0);
  }

  /**
   * Reads of random sizes from 1 to {@code maxChunk}, from {@code seed}.
   *
   * @param seed the seed, printed in {@link #toString()}
   * @param maxChunk the largest read
   * @return the chunking
   */
  public static Chunking random(long seed, int maxChunk) {
    if (maxChunk < 1) {
      throw new IllegalArgumentException("maxChunk must be at least 1: " + maxChunk);
    }
    return new Chunking("random splits up to " + maxChunk + ", seed " + seed, 0, seed, maxChunk);
  }

  /**
   * The matrix: whole, one byte at a time, packets of 1 to 9 bytes, and two random chunkings (reads
   * up to 16 and up to 1024 bytes) seeded from {@value #SEED_PROPERTY} or else from the time.
   *
   * @return the chunkings, in that order
   */
  public static List<Chunking> matrix() {
    List<Chunking> all = new ArrayList<>();
    all.add(whole());
    all.add(oneByteAtATime());
    for (int size = 1; size <= 9; size++) {
      all.add(packets(size));
    }
    String fixed = System.getProperty(SEED_PROPERTY);
    long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
    all.add(random(seed, 16));
    all.add(random(seed + 1, 1024));
    return all;
  }

  /**
   * Splits {@code data} into reads.
   *
   * @param data the whole stream
   * @return the reads, in order, none empty (none at all for empty data)
   */
  public List<byte[]> split(byte[] data) {
    List<byte[]> reads = new ArrayList<>();
    Random random = maxChunk > 0 ? new Random(seed) : null;
    int at = 0;
    while (at < data.length) {
      int length = random != null ? 1 + random.nextInt(maxChunk) : size;
      int end = (int) Math.min(data.length, (long) at + length);
      reads.add(Arrays.copyOfRange(data, at, end));
      at = end;
    }
    return reads;
  }

  @Override
  public String toString() {
    return name;
  }
}
