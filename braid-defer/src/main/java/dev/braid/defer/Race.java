package dev.braid.defer;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** The state of one {@link Deferreds#race}: who won, and which inputs failed. */
final class Race<T> {
  private static final System.Logger LOG = System.getLogger(Deferreds.class.getName());

  private final List<Deferred<? extends T>> inputs;
  private final Failure[] failures;
  private final Deferred<Deferreds.Winner<T>> result;
  private int failed;
  private Deferred<? extends T> winner;

  private Race(List<Deferred<? extends T>> inputs) {
    this.inputs = inputs;
    this.failures = new Failure[inputs.size()];
    this.result = Deferred.create(self -> cancelAllBut(null));
  }

  static <T> Deferred<Deferreds.Winner<T>> start(
      Collection<? extends Deferred<? extends T>> inputs) {
    Race<T> race = new Race<>(List.copyOf(Objects.requireNonNull(inputs, "inputs")));
    for (int i = 0; i < race.inputs.size(); i++) {
      int index = i;
      race.inputs.get(i).addRawBoth(raw -> race.received(index, raw));
    }
    return race.result;
  }

  @SuppressWarnings("unchecked")
  private Object received(int index, Object raw) {
    if (raw instanceof Failure failure) {
      failures[index] = failure;
      if (++failed == inputs.size() && !result.isCalled()) {
        result.errback(new FailureGroup(Arrays.asList(failures)));
      }
    } else if (winner == null) {
      winner = inputs.get(index);
      cancelAllBut(winner);
      if (!result.isCalled()) {
        result.callback(new Deferreds.Winner<>(index, (T) raw));
      }
    }
    return null;
  }

  private void cancelAllBut(Deferred<?> keep) {
    for (Deferred<? extends T> input : inputs) {
      if (input == keep) {
        continue;
      }
      try {
        input.cancel();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.ERROR, "Exception raised from user supplied canceller", e);
      }
    }
  }
}
