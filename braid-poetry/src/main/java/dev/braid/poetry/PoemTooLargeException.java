package dev.braid.poetry;

import java.io.IOException;
import java.util.Locale;

/**
 * A poem was longer than the client's limit ({@link PoetryClientFactory#DEFAULT_MAX_POEM_BYTES} by
 * default), or the client ran out of memory holding it: the download was stopped and its connection
 * closed. The poem so far was dropped.
 */
public class PoemTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long limit;
  private final long received;

  /**
   * Creates the exception for a poem over the limit.
   *
   * @param limit the largest poem accepted, in bytes
   * @param received the bytes received when the download was stopped, more than {@code limit}
   */
  public PoemTooLargeException(long limit, long received) {
    super(
        String.format(
            Locale.ROOT,
            "the poem is larger than the limit of %s; stopped after %,d bytes",
            describeBytes(limit),
            received));
    this.limit = limit;
    this.received = received;
  }

  /**
   * Creates the exception for a poem that did not fit in memory.
   *
   * @param limit the largest poem accepted, in bytes
   * @param received the bytes received when memory ran out
   * @param cause the {@link OutOfMemoryError}
   */
  public PoemTooLargeException(long limit, long received, OutOfMemoryError cause) {
    super(
        String.format(
            Locale.ROOT,
            "out of memory after %,d bytes of poetry (the JVM's heap is at most %s)",
            received,
            describeBytes(Runtime.getRuntime().maxMemory())),
        cause);
    this.limit = limit;
    this.received = received;
  }

  /** {@return the limit the poem was held to: the largest poem accepted, in bytes} */
  public long limit() {
    return limit;
  }

  /** {@return how many bytes of the poem had arrived when the download was stopped} */
  public long received() {
    return received;
  }

  /**
   * {@return true if the download stopped because memory ran out rather than at the limit (the
   * cause is an {@link OutOfMemoryError})}
   */
  public boolean outOfMemory() {
    return getCause() instanceof OutOfMemoryError;
  }

  /**
   * Describes a number of bytes as people write it: {@code 64 MiB}, {@code 1.5 KiB}, {@code 100
   * bytes}.
   *
   * @param bytes a number of bytes, not negative
   * @return the description
   */
  public static String describeBytes(long bytes) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    if (bytes < 1024) {
      return bytes == 1 ? "1 byte" : bytes + " bytes";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    String number =
        value == Math.rint(value)
            ? String.format(Locale.ROOT, "%d", (long) value)
            : String.format(Locale.ROOT, "%.1f", value);
    return number + " " + units[unit];
  }
}
