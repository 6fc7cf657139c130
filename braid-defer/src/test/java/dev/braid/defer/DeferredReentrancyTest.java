package dev.braid.defer;

import static dev.braid.defer.DeferredResults.failureResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance section D and spec section 4, consequences 1 and 2: re-entrant use of a Deferred. */
class DeferredReentrancyTest {
  private final List<Object> log = new ArrayList<>();

  @Test
  void callbackAddedDuringTheRunGoesToTheEndAndIsNotNested() {
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        r -> {
          log.add(1);
          d.addCallback(x -> log.add(3));
          log.add("c1-end");
          return null;
        });
    d.addCallback(r -> log.add(2));

    d.callback(null);

    assertThat(log).containsExactly(1, "c1-end", 2, 3);
  }

  @Test
  void exceptionFromAReentrantlyAddedCallbackBecomesTheFailure() {
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        r -> {
          d.addCallback(
              x -> {
                throw new Exception("callback raised exception");
              });
          return null; // not d: returning its own Deferred would be decision 2's error
        });

    d.callback(null);

    assertThat(failureResultOf(d, Exception.class).getErrorMessage())
        .isEqualTo("callback raised exception");
  }

  @Test
  void anotherDeferredsCallbackAddingToThisOneWhileItRunsOnlyAppends() {
    Deferred<String> d = Deferred.create();
    Deferred<String> e = Deferred.create();
    e.addCallback(
        r -> {
          d.addCallback(x -> log.add(Arrays.asList("added-by-e", x)));
          return null;
        });
    d.addCallback(
        r -> {
          log.add("cb1 start");
          e.callback("E");
          log.add("cb1 end");
          return r;
        });
    d.addCallback(
        r -> {
          log.add(List.of("cb2", r));
          return null;
        });

    d.callback("D");

    assertThat(log)
        .containsExactly(
            "cb1 start", "cb1 end", List.of("cb2", "D"), Arrays.asList("added-by-e", null));
  }

  @Test
  void firingADeferredFromInsideItsOwnCallbackFailsThatCallbackWithAlreadyCalled() {
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        r -> {
          d.callback("again");
          log.add("not reached");
          return r;
        });

    d.callback("first");

    assertThat(log).isEmpty();
    failureResultOf(d, AlreadyCalledException.class);
  }
}
