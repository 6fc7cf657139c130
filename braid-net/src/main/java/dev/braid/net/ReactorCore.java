package dev.braid.net;

import dev.braid.defer.Deferred;
import java.util.function.Supplier;

/**
 * Running and stopping the event loop: Twisted's {@code IReactorCore}.
 *
 * <p>Shutdown runs in three phases ({@link SystemEventPhase}); a trigger of the {@code BEFORE}
 * phase may return a Deferred, which the reactor waits for before going on. {@link #stop()} closes
 * listening ports and connections during shutdown.
 */
public interface ReactorCore {
  /**
   * Runs the event loop on the calling thread until {@link #stop()} has been called and shutdown
   * has finished. Runs the {@link #callWhenRunning} calls first.
   *
   * @throws IllegalStateException if this reactor is already running or has already run
   * @throws ReactorFailedException if the event loop itself failed (a {@code SelectorReactor}'s
   *     selector); every connection was closed and shutdown ran before it is thrown
   */
  void run();

  /**
   * Begins shutdown: the shutdown triggers run, connections and ports close, and {@link #run()}
   * returns. Safe from any thread.
   *
   * @throws IllegalStateException if the reactor is not running (or already stopping)
   */
  void stop();

  /**
   * Runs {@code call} once the reactor is running; at once (on the reactor thread) if it already
   * is.
   *
   * @param call what to run
   */
  void callWhenRunning(Runnable call);

  /**
   * Adds a trigger that runs during shutdown.
   *
   * @param phase when in shutdown it runs
   * @param trigger the work; may return a Deferred, which shutdown waits for (in the {@code BEFORE}
   *     phase), or null
   * @return a handle for {@link #removeSystemEventTrigger}
   */
  Object addSystemEventTrigger(SystemEventPhase phase, Supplier<Deferred<?>> trigger);

  /**
   * Removes a trigger added with {@link #addSystemEventTrigger}.
   *
   * @param handle the handle it returned
   * @throws IllegalArgumentException if the handle is unknown
   */
  void removeSystemEventTrigger(Object handle);

  /**
   * {@return true while the event loop is running: from the start of {@link #run()} to the
   * beginning of shutdown}
   */
  boolean isRunning();
}
