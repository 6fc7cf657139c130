package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.TestErrors.GenericError;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Handoff.call: a call made on one thread, its Deferred's outcome delivered on another. */
class HandoffTest {
  private OneThread owner;
  private OneThread home;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void threads() {
    owner = new OneThread("owner");
    home = new OneThread("home");
  }

  @AfterEach
  void stop() {
    owner.close();
    home.close();
  }

  /** Both threads have run everything handed to them, the hand-back included. */
  private void settle() throws Exception {
    owner.settle();
    home.settle();
  }

  private String thread() {
    return Thread.currentThread().getName();
  }

  @Test
  void theWorkRunsOnTheOwnerAndTheCallbacksOnTheCaller() throws Exception {
    Deferred<String> there = owner.call(Deferred::create);
    Deferred<String> here =
        home.call(
            () ->
                Handoff.call(
                        owner,
                        () -> {
                          events.add("work on " + thread());
                          return there;
                        },
                        home)
                    .addCallback(
                        poem -> {
                          events.add(poem + " on " + thread());
                          return poem;
                        }));
    settle();
    assertThat(home.call(here::isCalled)).isFalse();

    owner.call(() -> fire(there, "poem"));
    settle();

    assertThat(events).containsExactly("work on owner", "poem on home");
  }

  @Test
  void aFailureArrivesWholeAndIsNoLongerTheOwnersToHandle() throws Exception {
    long mark = UnhandledFailures.mark();
    GenericError error = new GenericError();
    Deferred<String> here =
        home.call(() -> Handoff.call(owner, () -> Deferred.<String>fail(error), home));
    settle();

    Failure failure = home.call(() -> DeferredResults.failureResultOf(here, GenericError.class));
    assertThat(failure.value()).isSameAs(error);
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void workThatThrowsOrReturnsNullFailsTheCallersDeferred() throws Exception {
    GenericError error = new GenericError();
    Deferred<String> threw =
        home.call(
            () ->
                Handoff.<String>call(
                    owner,
                    () -> {
                      throw error;
                    },
                    home));
    Deferred<String> gaveNull = home.call(() -> Handoff.<String>call(owner, () -> null, home));
    settle();

    assertThat(home.call(() -> DeferredResults.failureResultOf(threw).value())).isSameAs(error);
    assertThat(home.call(() -> DeferredResults.failureResultOf(gaveNull).value()))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void cancellingFailsTheCallerAtOnceAndCancelsTheOwnersDeferredOnItsThread() throws Exception {
    Deferred<String> there =
        owner.call(
            () -> Deferred.<String>create(d -> events.add("owner's canceller on " + thread())));
    Deferred<String> here = home.call(() -> Handoff.call(owner, () -> there, home));
    settle();

    home.call(
        () -> {
          here.cancel();
          Failure failure = DeferredResults.failureResultOf(here, CancelledException.class);
          events.add("failed at once on " + thread() + ": " + failure.value().getClass().getName());
          return null;
        });
    settle();

    // The two threads run at once: the order of the two events is not fixed.
    assertThat(events)
        .containsExactlyInAnyOrder(
            "failed at once on home: dev.braid.defer.CancelledException",
            "owner's canceller on owner");
    assertThat(owner.call(there::isCalled)).isTrue();
  }

  @Test
  void anOutcomeArrivingAfterTheCallerCancelledIsDropped() throws Exception {
    Deferred<String> there = owner.call(Deferred::create);
    Deferred<String> here = home.call(() -> Handoff.call(owner, () -> there, home));
    settle();

    home.call(() -> DeferredResults.failureResultOf(cancelled(here), CancelledException.class));
    settle();

    // The owner's Deferred was cancelled there (no canceller: the next firing is ignored).
    assertThat(owner.call(there::isCalled)).isTrue();
    owner.call(() -> fire(there, "too late"));
    settle();
    assertThat(home.call(here::toString)).contains("current result: null");
  }

  private static <T> Deferred<T> cancelled(Deferred<T> d) {
    d.cancel();
    return d;
  }

  private static Void fire(Deferred<String> d, String value) {
    d.callback(value);
    return null;
  }
}
