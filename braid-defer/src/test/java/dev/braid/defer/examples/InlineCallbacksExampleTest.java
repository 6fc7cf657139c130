package dev.braid.defer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's inline-callbacks example (Part 17, {@code inline-callbacks/inline-callbacks-1.py})
 * written with {@link Async}: a value that is already there comes straight back, a Deferred fired
 * later by {@code callLater} suspends the body, and a failing Deferred is caught with try/catch.
 */
class InlineCallbacksExampleTest {

  /**
   * The example itself. {@code say} stands in for {@code print}; the tutorial's {@code reactor} is
   * any {@link Clock}.
   */
  static Deferred<Void> myCallbacks(Clock reactor, List<String> say) {
    return Async.run(
        () -> {
          say.add("first callback");
          // Python yields the plain value 1; in Java a value already there is a fired Deferred.
          int result = Async.await(Deferred.succeed(1)); // comes right back
          say.add("second callback got " + result);

          Deferred<Integer> d = Deferred.create();
          reactor.callLater(5, () -> d.callback(2));
          result = Async.await(d); // an unfired Deferred suspends the body
          say.add("third callback got " + result); // the result of the Deferred

          Deferred<Integer> failing = Deferred.create();
          reactor.callLater(5, () -> failing.errback(new Exception("3")));
          Exception caught = null;
          try {
            Async.await(failing);
          } catch (Exception e) {
            caught = e;
          }
          say.add("fourth callback got " + caught); // the exception from the Deferred
          return null;
        });
  }

  @Test
  void bodyRunsToEachAwaitAndResumesWhenTheClockFiresTheDeferreds() {
    VirtualClock clock = VirtualClock.create();
    List<String> said = new ArrayList<>();

    Deferred<Void> done = myCallbacks(clock, said);
    assertThat(said).containsExactly("first callback", "second callback got 1");
    assertThat(done.hasResult()).isFalse();

    clock.advance(5);
    assertThat(said).last().isEqualTo("third callback got 2");
    assertThat(done.hasResult()).isFalse();

    clock.advance(5);
    assertThat(said)
        .containsExactly(
            "first callback",
            "second callback got 1",
            "third callback got 2",
            "fourth callback got java.lang.Exception: 3");
    assertThat(done.hasResult()).isTrue();
    assertThat(clock.getDelayedCalls()).isEmpty();
  }
}
