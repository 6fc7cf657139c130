package dev.braid.protocols;

import java.util.Arrays;

/**
 * The one growable buffer of a framer: bytes {@code [read, write)} of {@code data} are unread.
 * Appending compacts or grows so that the total copying stays linear in the bytes appended: unread
 * bytes are moved only when at least as many consumed bytes are reclaimed, and growth doubles. A
 * large array is released once everything has been read, so an idle connection holds no memory.
 *
 * <p>Offsets given to and returned by the methods are relative to the read index, except {@link
 * #position()}, which counts bytes from the start of the stream.
 */
final class InputBuffer {
  private static final byte[] EMPTY = new byte[0];
  private static final int INITIAL_CAPACITY = 256;
  private static final int KEEP_WHEN_EMPTY = 64 * 1024;

  private byte[] data = EMPTY;
  private int read;
  private int write;
  private long base;

  /** Appends a copy of {@code src}. */
  void append(byte[] src) {
    int length = src.length;
    if (length == 0) {
      return;
    }
    int unread = write - read;
    if (data.length - write < length) {
      int needed = Math.addExact(unread, length);
      if (needed <= data.length && read >= unread) {
        System.arraycopy(data, read, data, 0, unread);
      } else {
        int capacity = Math.max(needed, Math.max(INITIAL_CAPACITY, data.length * 2));
        if (capacity < 0) {
          capacity = Integer.MAX_VALUE - 8;
        }
        byte[] bigger = new byte[capacity];
        System.arraycopy(data, read, bigger, 0, unread);
        data = bigger;
      }
      base += read;
      read = 0;
      write = unread;
    }
    System.arraycopy(src, 0, data, write, length);
    write += length;
  }

  /**
   * Appends {@code src}, which the caller gives away: when nothing is buffered, the array itself
   * becomes the buffer instead of being copied (the common case of a read that starts a new frame).
   * The caller must not touch the array afterwards; it may be compacted in place later.
   */
  void appendOwned(byte[] src) {
    if (read == write && src.length > 0) {
      base += read;
      data = src;
      read = 0;
      write = src.length;
      return;
    }
    append(src);
  }

  /** Returns the number of unread bytes. */
  int size() {
    return write - read;
  }

  /** Returns the unread byte at {@code index}. */
  byte get(int index) {
    return data[read + index];
  }

  /** Returns a copy of {@code length} unread bytes starting at {@code from}. */
  byte[] copy(int from, int length) {
    return Arrays.copyOfRange(data, read + from, read + from + length);
  }

  /** Consumes {@code length} bytes. */
  void skip(int length) {
    read += length;
    if (read == write) {
      base += read;
      read = 0;
      write = 0;
      if (data.length > KEEP_WHEN_EMPTY) {
        data = EMPTY;
      }
    }
  }

  /** Returns and consumes {@code length} bytes. */
  byte[] take(int length) {
    byte[] taken = copy(0, length);
    skip(length);
    return taken;
  }

  /** Returns and consumes every unread byte. */
  byte[] takeAll() {
    return take(size());
  }

  /** Returns the stream offset of the first unread byte: how many bytes were consumed so far. */
  long position() {
    return base + read;
  }

  /** Returns the offset in the stream of the unread byte at {@code index}. */
  long positionOf(int index) {
    return base + read + index;
  }
}
