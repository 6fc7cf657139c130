package dev.braid.defer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Functions that make Deferreds: combinators over several ({@link #gatherResults}, all values or
 * the first failure; {@link #race}, the first success, cancelling the rest), and {@link
 * #deferLater}, a Deferred fired later on a {@link Clock} (Twisted's {@code task.deferLater}, kept
 * here beside the clock as Twisted keeps it beside {@code Clock} and {@code LoopingCall}). See
 * {@link DeferredList} for every outcome in input order.
 *
 * <p>Threading: like every Deferred, the inputs and the returned Deferred belong to one thread (for
 * {@link #deferLater}, the clock's).
 */
public final class Deferreds {
  private Deferreds() {}

  /**
   * Returns a Deferred of every input's value, in input order, or of the first failure (Twisted's
   * {@code gatherResults}): a {@link DeferredList} with {@link
   * DeferredList.Option#FIRE_ON_ONE_ERRBACK} whose outcomes are reduced to their values.
   *
   * <ul>
   *   <li>Fires with the values once every input has succeeded; an empty input list fires at once
   *       with an empty list.
   *   <li>Fails with a {@link FirstError} (holding the input's failure and index) as soon as one
   *       input fails. Without {@link DeferredList.Option#CONSUME_ERRORS} that input's failure also
   *       goes on down the input's own chain and must be handled there, or it is reported as
   *       unhandled; with it, the input's chain goes on with null.
   *   <li>Cancelling the returned Deferred cancels every input; it then fails with the {@link
   *       FirstError} of the first input to fail (usually a {@link CancelledException}), or, if
   *       every input's canceller fires a value, succeeds with those values.
   * </ul>
   *
   * @param inputs the Deferreds to wait for; copied
   * @param options {@link DeferredList.Option#CONSUME_ERRORS} to let failed inputs' chains go on
   *     with null; {@link DeferredList.Option#FIRE_ON_ONE_ERRBACK} is always in effect
   * @param <T> the inputs' result type
   * @return a Deferred of an unmodifiable list of values (which may contain nulls)
   * @throws NullPointerException if {@code inputs} or one of them is null
   */
  public static <T> Deferred<List<T>> gatherResults(
      Collection<? extends Deferred<? extends T>> inputs, DeferredList.Option... options) {
    DeferredList.Option[] all = Arrays.copyOf(options, options.length + 1);
    all[options.length] = DeferredList.Option.FIRE_ON_ONE_ERRBACK;
    return DeferredList.<T>of(inputs, all)
        .deferred()
        .addCallback(
            outcomes -> {
              List<T> values = new ArrayList<>(outcomes.size());
              for (Outcome<T> outcome : outcomes) {
                values.add(outcome.get());
              }
              return Collections.unmodifiableList(values);
            });
  }

  /**
   * Returns a Deferred of the first input to succeed, and cancels all the others when it does
   * (Twisted's {@code race}).
   *
   * <ul>
   *   <li>Fires with {@link Winner}{@code (index, value)} of the first success. The winner itself
   *       is not cancelled. A later success (from an input whose canceller fires a value) is
   *       ignored.
   *   <li>Fails with a {@link FailureGroup} holding every input's failure, in input order, if all
   *       of them fail. With no inputs it never fires.
   *   <li>Cancelling it cancels every input; it then fails with the {@link FailureGroup} of their
   *       cancellations (or fires with a winner, if a canceller fires a value).
   *   <li>Every input's own chain goes on with null: the race consumes the inputs' results and
   *       failures.
   * </ul>
   *
   * Braid differs from Twisted in one detail: an exception thrown by an input's canceller while the
   * race cancels the losers, or while it is itself cancelled, is logged (as {@link DeferredList}
   * does) instead of escaping, so one bad canceller does not stop the others.
   *
   * @param inputs the competing Deferreds; copied
   * @param <T> their result type
   * @return a Deferred of the winner
   * @throws NullPointerException if {@code inputs} or one of them is null
   */
  public static <T> Deferred<Winner<T>> race(Collection<? extends Deferred<? extends T>> inputs) {
    return Race.start(inputs);
  }

  /**
   * The first input of a {@link #race} to succeed.
   *
   * @param index its position in the list of inputs, from 0
   * @param value its result
   * @param <T> the inputs' result type
   */
  public record Winner<T>(int index, T value) {}

  /**
   * Returns a Deferred that fires, {@code delaySeconds} from now, with what {@code callable}
   * returns (Twisted's {@code deferLater}). If {@code callable} throws, the Deferred fails; if it
   * returns a Deferred, the result waits for it. Cancelling the Deferred before the call cancels
   * the delayed call (so nothing is left scheduled) and fails it with {@link CancelledException}.
   *
   * @param clock where time comes from: the reactor, or a {@link VirtualClock} in tests
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
            .addCallback(Deferreds::<T>uncheckedCast);
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
}
