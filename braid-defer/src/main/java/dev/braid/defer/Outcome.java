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
  }

  /**
   * Returns the value of a success or rethrows the exception of a failure; in {@code addBoth} this
   * passes the outcome through unchanged: {@code d.addBoth(o -> { cleanUp(); return o.get(); })}.
   *
   * @return the value
   * @throws Exception the failure's exception
   */
  T get() throws Exception;

  /**
   * Tells whether this is a {@link Success}.
   *
   * @return true for a success
   */
  default boolean isSuccess() {
    return this instanceof Success;
  }
}
