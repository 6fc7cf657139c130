package dev.braid.reactor;

import dev.braid.defer.Clock;
import dev.braid.defer.DelayedCall;
import java.util.List;

/**
 * The reactor's timers: Twisted's {@code IReactorTime}. A {@link Clock} whose time is monotonic
 * seconds, plus the list of pending calls.
 *
 * <p>Threading: reactor thread only (use {@link ReactorThreads#callFromThread} from elsewhere).
 * Equal due times run in the order scheduled; a cancelled call costs nothing later.
 */
public interface ReactorTime extends Clock {
  /**
   * {@return a snapshot of the calls scheduled and not yet run or cancelled, in no particular
   * order}
   */
  List<DelayedCall> getDelayedCalls();
}
