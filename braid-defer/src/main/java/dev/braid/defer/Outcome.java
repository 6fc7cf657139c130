package dev.braid.defer;

/**
 * How a step of a Deferred's chain ended: a {@link Success} with a value or a {@link Failed} with a
 * {@link Failure}. {@link Deferred#addBoth} hands one to its function, so a {@code switch} covers
 * both sides:
 *
 * <pre>{@code
 * d.addBoth(outcome -> switch (outcome) {
 *   case Outcome.Success<String>(String poem) -> poem;
 *   case Outcome.Failed<String>(Failure failure) -> "no poem: " + failure.getErrorMessage();
 * });
 * }</pre>
 *
 * <p>To pass an outcome on unchanged, with the very same {@link Failure} (Twisted's {@code return
 * result}), use {@link Deferred#addFinally} or return {@link #toDeferred()} from {@link
 * Deferred#addBothDeferred}; {@link #get()} rethrows the exception, and the chain then goes on with
 * a new Failure around it.
 *
 * <p>{@code DeferredList} reports each input as an {@code Outcome}, in input order.
 *
 * @param <T> the type of a successful value
 */
public sealed interface Outcome<T> permits Outcome.Success, Outcome.Failed {
  /**
   * A value.
   *
   * @param value the result; may be null
   * @param <T> its type
   */
  record Success<T>(T value) implements Outcome<T> {
    @Override
    public T get() {
      return value;
    }

    @Override
    public Deferred<T> toDeferred() {
      return Deferred.succeed(value);
    }
  }

  /**
   * A failure.
   *
   * @param failure the failure; never null
   * @param <T> the type a success would have had
   */
  record Failed<T>(Failure failure) implements Outcome<T> {
    /**
     * Checks the failure is present.
     *
     * @param failure the failure; never null
     */
    public Failed {
      java.util.Objects.requireNonNull(failure, "failure");
    }

    @Override
    public T get() throws Exception {
      return failure.raiseException();
    }

    @Override
    public Deferred<T> toDeferred() {
      return Deferred.fail(failure);
    }
  }

  /**
   * Returns the value of a success or rethrows the exception of a failure. In a chain, rethrowing
   * passes the same exception on in a new {@link Failure}; {@link #toDeferred()} keeps the Failure
   * itself.
   *
   * @return the value
   * @throws Exception the failure's exception
   */
  T get() throws Exception;

  /**
   * Returns a Deferred that has already fired with this outcome: {@link Deferred#succeed} with the
   * value, or {@link Deferred#fail(Failure)} with the very same {@link Failure}. Returned from a
   * callback, it hands the outcome on unchanged, as a Twisted callback that returns its argument
   * does: {@code d.addBothDeferred(o -> cleanUp().addCallbackDeferred(v -> o.toDeferred()))} waits
   * for an asynchronous clean-up and then goes on as if it had not been there. (For a synchronous
   * one, {@link Deferred#addFinally} is shorter.)
   *
   * @return a fired Deferred holding this outcome
   */
  Deferred<T> toDeferred();

  /** {@return true if this is a {@link Success}} */
  default boolean isSuccess() {
    return this instanceof Success;
  }
}
