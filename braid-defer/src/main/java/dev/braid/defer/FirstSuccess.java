package dev.braid.defer;

import java.util.List;

/**
 * What a {@link DeferredList#fireOnOneCallback} list fires with: the first input to succeed, or,
 * when every input failed, all their outcomes. Twisted's {@code DeferredList(...,
 * fireOnOneCallback=True)} fires with a {@code (result, index)} tuple in the first case and the
 * full result list in the second; Braid gives the two shapes one sealed type, so a {@code switch}
 * covers both:
 *
 * <pre>{@code
 * DeferredList.fireOnOneCallback(List.of(primary, mirror)).deferred()
 *     .addCallback(first -> switch (first) {
 *       case FirstSuccess.Succeeded<String>(String poem, int index) -> poem;
 *       case FirstSuccess.AllFailed<String>(List<Outcome<String>> outcomes) -> "no poem";
 *     });
 * }</pre>
 *
 * @param <T> the inputs' result type
 */
public sealed interface FirstSuccess<T> permits FirstSuccess.Succeeded, FirstSuccess.AllFailed {
  /**
   * The first input to succeed.
   *
   * @param value its result
   * @param index its position in the list, from 0
   * @param <T> the inputs' result type
   */
  record Succeeded<T>(T value, int index) implements FirstSuccess<T> {}

  /**
   * Every input failed (without {@link DeferredList.Option#FIRE_ON_ONE_ERRBACK}).
   *
   * @param outcomes every input's {@link Outcome.Failed}, in input order
   * @param <T> the inputs' result type
   */
  record AllFailed<T>(List<Outcome<T>> outcomes) implements FirstSuccess<T> {}
}
