package dev.braid.poetry;

/**
 * Measures the used heap for memory tests: collects garbage until the figure settles, so that two
 * measurements differ by what is really held, give or take a few kilobytes.
 */
public final class Heap {
  private Heap() {}

  /** The bytes of heap in use after full collections, once two in a row agree within 64 KiB. */
  public static long usedAfterGc() {
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Runtime runtime = Runtime.getRuntime();
      used = runtime.totalMemory() - runtime.freeMemory();
      if (Math.abs(previous - used) < 64 * 1024) {
        return used;
      }
      previous = used;
    }
    return used;
  }
}
