package dev.braid.net;

/**
 * The phases of reactor shutdown, in order (Twisted's "before", "during", "after" of "shutdown").
 */
public enum SystemEventPhase {
  /** First; Deferreds returned by these triggers are awaited before going on. */
  BEFORE,
  /** Then; the reactor closes its ports and connections in this phase. */
  DURING,
  /** Last, just before {@code run()} returns. */
  AFTER
}
