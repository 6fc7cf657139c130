package dev.braid.reactor;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.defer.PendingDeferreds;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Twisted's {@code twisted.internet.task} helpers: {@link #deferLater} and {@link #react}. (The
 * module's {@code LoopingCall} is {@link LoopingCall}.)
 */
public final class Tasks {
  private Tasks() {}

  /**
   * Returns a Deferred that fires, {@code delaySeconds} from now, with what {@code callable}
   * returns (Twisted's {@code deferLater}). If {@code callable} throws, the Deferred fails; if it
   * returns a Deferred, the result waits for it. Cancelling the Deferred before the call cancels
   * the delayed call (so nothing is left scheduled) and fails it with {@link
   * dev.braid.defer.CancelledException}.
   *
   * @param clock where time comes from: the reactor, or a {@code VirtualClock} in tests
   * @param delaySeconds how long to wait
   * @param callable what to call then; null to fire with null
   * @param <T> its result type
   * @return a Deferred of the result
   */
  public static <T> Deferred<T> deferLater(
      Clock clock, double delaySeconds, Callable<? extends T> callable) {
    Objects.requireNonNull(clock, "clock");
    DelayedCall[] timer = new DelayedCall[1];
    Deferred<Object> d =
        Deferred.create(
            self -> {
              if (timer[0].active()) {
                timer[0].cancel();
              }
            });
    Deferred<T> result =
        d.addCallback(ignored -> callable == null ? null : (Object) callable.call())
            .addCallback(Tasks::<T>uncheckedCast);
    timer[0] = clock.callLater(delaySeconds, () -> d.callback(null));
    PendingDeferreds.noteWaitingOn(d, timer[0]); // debug mode: for pending dumps
    return result;
  }

  /**
   * {@link #deferLater(Clock, double, Callable)} with a {@link Duration}.
   *
   * @param clock where time comes from
   * @param delay how long to wait
   * @param callable what to call then; null to fire with null
   * @param <T> its result type
   * @return a Deferred of the result
   */
  public static <T> Deferred<T> deferLater(
      Clock clock, Duration delay, Callable<? extends T> callable) {
    return deferLater(clock, Clock.toSeconds(delay), callable);
  }

  @SuppressWarnings("unchecked")
  private static <T> T uncheckedCast(Object value) {
    return (T) value;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The main function of a program run by {@link #react}: sets things up on the reactor and returns
   * a Deferred that fires when the program is done.
   */
  @FunctionalInterface
  public interface Main {
    /**
     * Starts the program.
     *
     * @param reactor the reactor, not yet running
     * @return a Deferred fired when the program is done (its value is ignored), or failed
     * @throws Exception to fail at once
     */
    Deferred<?> main(Reactor reactor) throws Exception;
  }

  /**
   * Runs a program on a new {@link SelectorReactor} until its Deferred fires, and returns the exit
   * status: 0 on success, 1 on failure (the failure printed to {@code System.err}). SIGINT and
   * SIGTERM stop it gracefully (a shutdown hook waiting up to 30 seconds); the exit status is then
   * 0 unless the Deferred failed first. Use {@link #reactAndExit} from a {@code main} method.
   *
   * @param main the program
   * @return the exit status
   */
  public static int react(Main main) {
    SelectorReactor reactor = SelectorReactor.create();
    reactor.installShutdownHook(Duration.ofSeconds(30));
    return react(reactor, main, System.err);
  }

  /**
   * Runs a program on {@code reactor} until its Deferred fires (Twisted's {@code react}), on the
   * calling thread, and returns the exit status.
   *
   * <p>{@code main} is called before the reactor runs. When its Deferred fires, the reactor is
   * stopped (unless shutdown has already begun). A failure, including an exception thrown by {@code
   * main} itself (Twisted would let that escape), is printed to {@code err} with its stack trace
   * and gives status 1; so does a {@link ReactorFailedException} from {@code run()} (the selector
   * failed and the reactor shut down); otherwise the status is 0.
   *
   * @param reactor a reactor that has not run yet
   * @param main the program
   * @param err where a failure is printed
   * @return the exit status
   */
  public static int react(Reactor reactor, Main main, PrintStream err) {
    Objects.requireNonNull(reactor, "reactor");
    Objects.requireNonNull(main, "main");
    Objects.requireNonNull(err, "err");
    int[] status = {0};
    boolean[] stopping = {false};
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          stopping[0] = true;
          return null;
        });
    Deferred<?> finished = Deferred.maybeDeferredDeferred(() -> main.main(reactor));
    finished.addBoth(
        outcome -> {
          Runnable finish =
              () -> {
                if (outcome instanceof Outcome.Failed<?> failed) {
                  Failure failure = failed.failure();
                  err.println("main function encountered error");
                  err.println(failure.getTraceback());
                  err.flush();
                  status[0] = 1;
                }
                if (!stopping[0]) {
                  try {
                    reactor.stop();
                  } catch (IllegalStateException notRunning) {
                    // already stopping (a signal, or main stopped it): fine
                  }
                }
              };
          if (stopping[0]) {
            finish.run();
          } else {
            reactor.callWhenRunning(finish);
          }
          return null;
        });
    try {
      reactor.run();
    } catch (ReactorFailedException failed) {
      err.println("the reactor failed");
      failed.printStackTrace(err);
      err.flush();
      status[0] = 1;
    }
    return status[0];
  }

  /**
   * Runs {@link #react(Main)} and exits the JVM with its status: for {@code main} methods.
   *
   * <pre>{@code
   * public static void main(String[] args) {
   *   Tasks.reactAndExit(reactor -> getPoetry(reactor, "127.0.0.1", 10000)
   *       .addCallback(poem -> { System.out.println(poem); return null; }));
   * }
   * }</pre>
   *
   * @param main the program
   */
  public static void reactAndExit(Main main) {
    System.exit(react(main));
  }
}
