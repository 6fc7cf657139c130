package dev.braid.defer;

/**
 * What {@link Deferred#addFinally} runs: it sees how a step of the chain ended and returns nothing,
 * so the outcome goes on down the chain as it came.
 *
 * @param <T> the type of a successful value
 */
@FunctionalInterface
public interface OutcomeAction<T> {
  /**
   * Looks at the outcome: logs it, releases a resource, counts it.
   *
   * @param outcome a {@link Outcome.Success} or an {@link Outcome.Failed}, whose {@link Failure} is
   *     the very object the chain holds
   * @throws Exception to replace the outcome: the chain goes on with this exception as its failure,
   *     as after a callback that throws
   */
  void run(Outcome<T> outcome) throws Exception;
}
