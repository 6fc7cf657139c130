package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorCore;
import dev.braid.net.ReactorFailedException;
import dev.braid.net.SystemEventPhase;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;

/**
 * Twisted's {@code twisted.internet.task.react}: runs a program on a reactor until its Deferred
 * fires. (Twisted's other {@code task} helpers, {@code LoopingCall} and {@code deferLater}, need a
 * clock only and live beside it: {@link dev.braid.defer.LoopingCall}, {@link
 * dev.braid.defer.Deferreds#deferLater}.)
 */
public final class Tasks {
  private Tasks() {}

  /**
   * The main function of a program run by {@link #react}: sets things up on the reactor and returns
   * a Deferred that fires when the program is done.
   *
   * @param <R> what the program is given: the reactor {@code react} runs, as the type it was passed
   *     as ({@link Reactor} for {@link #react(Main)})
   */
  @FunctionalInterface
  public interface Main<R> {
    /**
     * Starts the program.
     *
     * @param reactor the reactor, not yet running
     * @return a Deferred fired when the program is done (its value is ignored), or failed
     * @throws Exception to fail at once
     */
    Deferred<?> main(R reactor) throws Exception;
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
  public static int react(Main<? super Reactor> main) {
    SelectorReactor reactor = SelectorReactor.create();
    reactor.installShutdownHook(Duration.ofSeconds(30));
    return react(reactor, main, System.err);
  }

  /**
   * Runs a program on {@code reactor} until its Deferred fires (Twisted's {@code react}), on the
   * calling thread, and returns the exit status.
   *
   * <p>{@code react} itself needs only the event loop ({@link ReactorCore}: shutdown triggers,
   * {@code callWhenRunning}, {@code run}, {@code stop}), so any reactor will do, the test kit's
   * {@code MemoryReactor} included; {@code main} is given the same object, typed as it was passed,
   * so that it can use whatever else the reactor offers.
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
   * @param <R> the reactor's type, which {@code main} is given
   * @return the exit status
   */
  public static <R extends ReactorCore> int react(
      R reactor, Main<? super R> main, PrintStream err) {
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
  public static void reactAndExit(Main<? super Reactor> main) {
    System.exit(react(main));
  }
}
