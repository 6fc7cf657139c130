package dev.braid.defer;

/**
 * A function in a Deferred's chain: a callback (given the result) or an errback (given the {@link
 * Failure}). It may throw any exception; a thrown exception becomes the chain's new failure and is
 * passed to the <em>next</em> errback, never to the errback of the same pair.
 *
 * <p>Twisted passes extra arguments to callbacks ({@code addCallback(f, a, b)}); in Java a lambda
 * captures them instead: {@code d.addCallback(result -> f(result, a, b))}.
 *
 * @param <A> the argument: the current result, or a {@link Failure}
 * @param <R> what the function returns, which becomes the current result
 */
@FunctionalInterface
public interface Callback<A, R> {
  /**
   * Runs this step of the chain.
   *
   * @param argument the current result, or the current failure for an errback
   * @return the new current result
   * @throws Exception to switch the chain to its errback side with this exception
   */
  R call(A argument) throws Exception;
}
