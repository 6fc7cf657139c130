package dev.braid.reactor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes a connection could not send yet: a ring of the caller's arrays (never copied on the way
 * in) plus an offset into the first one. {@link #fill} gathers as much as fits into the reactor's
 * direct buffer for one write system call; {@link #consume} drops what the socket took.
 *
 * <p>Threading: reactor thread only.
 */
final class WriteQueue {
  private byte[][] ring = new byte[8][];
  private int head;
  private int count;
  private int headOffset;
  private long bytes;

  boolean isEmpty() {
    return count == 0;
  }

  /** The number of bytes queued. */
  long bytes() {
    return bytes;
  }

  /** Appends {@code data[offset..]}; the array is kept, not copied. */
  void add(byte[] data, int offset) {
    int length = data.length - offset;
    if (length <= 0) {
      return;
    }
    if (count == ring.length) {
      byte[][] bigger = new byte[ring.length * 2][];
      for (int i = 0; i < count; i++) {
        bigger[i] = ring[(head + i) & (ring.length - 1)];
      }
      ring = bigger;
      head = 0;
    }
    if (count == 0) {
      headOffset = offset;
    } else if (offset != 0) {
      data = Arrays.copyOfRange(data, offset, data.length);
    }
    ring[(head + count) & (ring.length - 1)] = data;
    count++;
    bytes += length;
  }

  /** Copies queued bytes, in order, into {@code buffer} until it is full or the queue is empty. */
  void fill(ByteBuffer buffer) {
    int mask = ring.length - 1;
    for (int i = 0; i < count && buffer.hasRemaining(); i++) {
      byte[] data = ring[(head + i) & mask];
      int from = i == 0 ? headOffset : 0;
      int n = Math.min(data.length - from, buffer.remaining());
      buffer.put(data, from, n);
    }
  }

  /** Drops the first {@code n} queued bytes. */
  void consume(long n) {
    bytes -= n;
    int mask = ring.length - 1;
    while (n > 0) {
      byte[] data = ring[head];
      int left = data.length - headOffset;
      if (n < left) {
        headOffset += (int) n;
        return;
      }
      n -= left;
      ring[head] = null;
      head = (head + 1) & mask;
      count--;
      headOffset = 0;
    }
  }

  /** Drops everything. */
  void clear() {
    Arrays.fill(ring, null);
    head = 0;
    count = 0;
    headOffset = 0;
    bytes = 0;
  }
}
