package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.net.SystemEventPhase;

/**
 * What a {@link SelectorReactor} that belongs to a {@link ReactorGroup} tells its group, and waits
 * for, while it shuts down.
 */
interface GroupMembership {
  /**
   * {@code member} has begun to shut down ({@code stop()}, or its selector failed): the group stops
   * its other reactors. Any thread; idempotent.
   */
  void memberStopping(SelectorReactor member);

  /**
   * {@code member} has finished {@code phase} of its shutdown (its BEFORE triggers and their
   * Deferreds, or its DURING triggers). On the member's thread.
   *
   * @return a Deferred of the member's own, fired on its thread once every member has finished that
   *     phase
   */
  Deferred<Void> arrive(SelectorReactor member, SystemEventPhase phase);
}
