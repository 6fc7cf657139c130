package dev.braid.defer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Waits for several Deferreds and reports all their outcomes, in input order: Twisted's {@code
 * DeferredList}.
 *
 * <pre>{@code
 * DeferredList<String, List<Outcome<String>>> poems =
 *     DeferredList.of(List.of(getPoem(a), getPoem(b)), DeferredList.Option.CONSUME_ERRORS);
 * poems.deferred().addCallback(outcomes -> {
 *   for (Outcome<String> outcome : outcomes) {
 *     switch (outcome) {
 *       case Outcome.Success<String>(String poem) -> System.out.println(poem);
 *       case Outcome.Failed<String>(Failure failure) -> System.out.println(failure);
 *     }
 *   }
 *   return null;
 * });
 * }</pre>
 *
 * <h2>What it fires with</h2>
 *
 * <ul>
 *   <li>{@link #of}: once every input has fired, with one {@link Outcome} per input, in the order
 *       of the inputs (not the order in which they fired). An empty input list fires at once with
 *       an empty list. With {@link Option#FIRE_ON_ONE_ERRBACK} it fails instead, at the first input
 *       failure, with a {@link FirstError}.
 *   <li>{@link #fireOnOneCallback}: at the first input success, with {@link
 *       FirstSuccess.Succeeded}{@code (value, index)}; if every input fails, with {@link
 *       FirstSuccess.AllFailed} holding all the outcomes (a success, as in Twisted). An empty input
 *       list never fires.
 * </ul>
 *
 * Inputs that have already fired are processed while the list is created, so the list may have
 * fired by the time the factory returns. The list fires at most once; results that arrive later
 * still update {@link #results()}.
 *
 * <h2>The inputs' own chains</h2>
 *
 * The list adds one callback pair to each input. Callbacks added to an input before the list see
 * the input's result; those added after see what the list's pair returns: the same result, except
 * that with {@link Option#CONSUME_ERRORS} a failure is replaced by null, so that it is handled and
 * never reported as an unhandled failure. Without it, each input's failure goes on down that
 * input's chain and must be handled there.
 *
 * <h2>Cancellation</h2>
 *
 * Cancelling {@link #deferred()} before it fires cancels every input (exceptions thrown by their
 * cancellers are logged, through {@link System.Logger}, and do not stop the others); the list never
 * fails with a {@link CancelledException} of its own but fires through its inputs, typically with a
 * list of {@link CancelledException} failures. Cancelling it after it fired does nothing.
 *
 * <p>Threading: like every Deferred, a list belongs to the thread that owns its inputs.
 *
 * @param <T> the inputs' result type
 * @param <R> what the list fires with: {@code List<Outcome<T>>} or {@link FirstSuccess}{@code <T>}
 */
public final class DeferredList<T, R> {
  /** How a {@link DeferredList} treats failures of its inputs. */
  public enum Option {
    /**
     * Fail the list, at the first input failure, with a {@link FirstError} naming that input
     * (Twisted's {@code fireOnOneErrback=True}).
     */
    FIRE_ON_ONE_ERRBACK,
    /**
     * After recording an input's failure, let that input's chain go on with null, so the failure
     * counts as handled (Twisted's {@code consumeErrors=True}).
     */
    CONSUME_ERRORS
  }

  private static final System.Logger LOG = System.getLogger(DeferredList.class.getName());

  private final List<Deferred<? extends T>> inputs;
  private final List<Outcome<T>> results;
  private final List<Outcome<T>> resultsView;
  private final Deferred<Object> deferred;
  private final boolean fireOnOneCallback;
  private final boolean fireOnOneErrback;
  private final boolean consumeErrors;
  private int finished;

  private DeferredList(
      Collection<? extends Deferred<? extends T>> inputs,
      boolean fireOnOneCallback,
      Option[] options) {
    this.inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
    List<Option> chosen = Arrays.asList(options);
    this.fireOnOneCallback = fireOnOneCallback;
    this.fireOnOneErrback = chosen.contains(Option.FIRE_ON_ONE_ERRBACK);
    this.consumeErrors = chosen.contains(Option.CONSUME_ERRORS);
    this.results = new ArrayList<>(Collections.nCopies(this.inputs.size(), null));
    this.resultsView = Collections.unmodifiableList(results);
    this.deferred = Deferred.create(list -> cancelInputs());
    this.deferred.cancelOnlyForwards();
  }

  /**
   * Creates a list that fires, once every input has fired, with their outcomes in input order.
   *
   * @param inputs the Deferreds to wait for; copied, so later changes to the collection do not
   *     matter; the same Deferred may appear twice
   * @param options how to treat input failures
   * @param <T> the inputs' result type
   * @return the list, which may already have fired
   * @throws NullPointerException if {@code inputs} or one of them is null
   */
  public static <T> DeferredList<T, List<Outcome<T>>> of(
      Collection<? extends Deferred<? extends T>> inputs, Option... options) {
    DeferredList<T, List<Outcome<T>>> list = new DeferredList<>(inputs, false, options);
    list.start();
    return list;
  }

  /**
   * Creates a list that fires at the first input success (Twisted's {@code
   * fireOnOneCallback=True}): with {@link FirstSuccess.Succeeded}, or with {@link
   * FirstSuccess.AllFailed} if every input fails (unless {@link Option#FIRE_ON_ONE_ERRBACK} made it
   * fail with a {@link FirstError} first). With no inputs it never fires. It does not cancel the
   * other inputs; {@link Deferreds#race} does.
   *
   * @param inputs the Deferreds to wait for; copied
   * @param options how to treat input failures
   * @param <T> the inputs' result type
   * @return the list, which may already have fired
   * @throws NullPointerException if {@code inputs} or one of them is null
   */
  public static <T> DeferredList<T, FirstSuccess<T>> fireOnOneCallback(
      Collection<? extends Deferred<? extends T>> inputs, Option... options) {
    DeferredList<T, FirstSuccess<T>> list = new DeferredList<>(inputs, true, options);
    list.start();
    return list;
  }

  /**
   * {@return the list's Deferred, which fires as described in the class documentation} It is the
   * same object on every call. Like any Deferred, what it holds changes as callbacks are added to
   * it.
   */
  public Deferred<R> deferred() {
    return Deferred.retype(deferred);
  }

  /**
   * {@return the outcomes received so far, one per input in input order, with null for an input
   * that has not fired yet} This is Twisted's {@code resultList}: an unmodifiable view, and a live
   * one, which keeps changing as inputs fire, even after the list itself has fired.
   */
  public List<Outcome<T>> results() {
    return resultsView;
  }

  private void start() {
    if (inputs.isEmpty() && !fireOnOneCallback) {
      deferred.callback(resultsView);
    }
    for (int i = 0; i < inputs.size(); i++) {
      int index = i;
      inputs.get(i).addRawBoth(raw -> received(index, raw));
    }
  }

  /** Twisted's {@code _cbDeferred}. */
  private Object received(int index, Object raw) {
    Outcome<T> outcome = Deferred.outcomeOf(raw);
    results.set(index, outcome);
    finished++;
    if (!deferred.isCalled()) {
      if (fireOnOneCallback && outcome instanceof Outcome.Success<T>(T value)) {
        deferred.callback(new FirstSuccess.Succeeded<>(value, index));
      } else if (fireOnOneErrback && outcome instanceof Outcome.Failed<T>(Failure failure)) {
        deferred.errback(new FirstError(failure, index));
      } else if (finished == results.size()) {
        deferred.callback(
            fireOnOneCallback ? new FirstSuccess.AllFailed<>(resultsView) : resultsView);
      }
    }
    return raw instanceof Failure && consumeErrors ? null : raw;
  }

  private void cancelInputs() {
    for (Deferred<? extends T> input : inputs) {
      try {
        input.cancel();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.ERROR, "Exception raised from user supplied canceller", e);
      }
    }
  }

  /**
   * {@return a short description of the list: its size, how many inputs have fired, its Deferred}
   */
  @Override
  public String toString() {
    return "DeferredList{" + finished + "/" + inputs.size() + " fired, " + deferred + "}";
  }
}
