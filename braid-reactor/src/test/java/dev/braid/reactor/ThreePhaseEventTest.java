package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.SystemEventPhase;
import dev.braid.test.log.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The three-phase event on its own, without a reactor: Twisted's {@code ThreePhaseEventTests}
 * (test_internet) and {@code SystemEventTests} where they apply to one event whose phases are an
 * enum, and Braid's choices where it differs (ADR 0040).
 */
class ThreePhaseEventTest {
  private final ThreePhaseEvent event =
      new ThreePhaseEvent("test", LoggerFactory.getLogger(ThreePhaseEventTest.class));
  private final List<String> events = new ArrayList<>();

  private Supplier<Deferred<?>> record(String what) {
    return () -> {
      events.add(what);
      return null;
    };
  }

  private Object add(SystemEventPhase phase, Runnable body) {
    return event.addTrigger(
        phase,
        () -> {
          body.run();
          return null;
        });
  }

  @ParameterizedTest
  @EnumSource(SystemEventPhase.class)
  void aTriggerRunsWhenTheEventFiresAndNotBefore(SystemEventPhase phase) {
    event.addTrigger(phase, record("ran"));
    assertThat(events).isEmpty();

    event.fire();

    assertThat(events).containsExactly("ran");
  }

  @Test
  void firingRunsTheBeforeThenTheDuringThenTheAfterTriggersEachInTheOrderAdded() {
    event.addTrigger(SystemEventPhase.AFTER, record("first after"));
    event.addTrigger(SystemEventPhase.DURING, record("first during"));
    event.addTrigger(SystemEventPhase.BEFORE, record("first before"));
    event.addTrigger(SystemEventPhase.BEFORE, record("second before"));
    event.addTrigger(SystemEventPhase.DURING, record("second during"));
    event.addTrigger(SystemEventPhase.AFTER, record("second after"));

    event.fire();

    assertThat(events)
        .containsExactly(
            "first before",
            "second before",
            "first during",
            "second during",
            "first after",
            "second after");
  }

  @Test
  void aRemovedTriggerDoesNotRun() {
    event.addTrigger(SystemEventPhase.BEFORE, record("first"));
    event.removeTrigger(event.addTrigger(SystemEventPhase.BEFORE, record("second")));

    event.fire();

    assertThat(events).containsExactly("first");
  }

  @Test
  void removingAnUnknownHandleThrows() {
    assertThatThrownBy(() -> event.removeTrigger(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown system event trigger: ");
    assertThatThrownBy(() -> event.removeTrigger(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void removingATriggerTwiceThrowsTheSecondTime() {
    Object handle = event.addTrigger(SystemEventPhase.BEFORE, record("removed"));
    event.removeTrigger(handle);

    assertThatThrownBy(() -> event.removeTrigger(handle))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown system event trigger: SystemEventTrigger{BEFORE, ");
  }

  @Test
  void aHandleOfAnotherEventIsUnknown() {
    ThreePhaseEvent other =
        new ThreePhaseEvent("other", LoggerFactory.getLogger(ThreePhaseEventTest.class));
    Object handle = other.addTrigger(SystemEventPhase.DURING, record("other's"));

    assertThatThrownBy(() -> event.removeTrigger(handle))
        .isInstanceOf(IllegalArgumentException.class);
    other.fire();
    assertThat(events).containsExactly("other's");
  }

  @Test
  void theDuringAndAfterTriggersWaitForTheDeferredOfABeforeTrigger() {
    Deferred<String> beforeResult = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> beforeResult);
    event.addTrigger(SystemEventPhase.DURING, record("during"));
    event.addTrigger(SystemEventPhase.AFTER, record("after"));

    event.fire();
    assertThat(events).isEmpty();

    beforeResult.callback("done");
    assertThat(events).containsExactly("during", "after");
  }

  @Test
  void theDuringTriggersWaitForEveryBeforeTriggersDeferred() {
    Deferred<String> first = Deferred.create();
    Deferred<String> second = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> first);
    event.addTrigger(SystemEventPhase.BEFORE, () -> second);
    event.addTrigger(SystemEventPhase.DURING, record("during"));

    event.fire();
    first.callback("first");
    assertThat(events).isEmpty();

    second.callback("second");
    assertThat(events).containsExactly("during");
  }

  @Test
  void aBeforeTriggerThatFiresAnEarlierOnesDeferredLetsTheRestRunAndTheirDeferredsBeAwaited() {
    Deferred<String> first = Deferred.create();
    Deferred<String> third = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> first);
    add(SystemEventPhase.BEFORE, () -> first.callback("fired by the second trigger"));
    event.addTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          events.add("third before");
          return third;
        });
    event.addTrigger(SystemEventPhase.DURING, record("during"));

    event.fire();
    assertThat(events).containsExactly("third before");

    third.callback("third");
    assertThat(events).containsExactly("third before", "during");
  }

  @Test
  void theDeferredOfFireBeforeFiresOnceTheBeforeTriggersDeferredsHaveFired() {
    Deferred<String> pending = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> pending);
    event.addTrigger(SystemEventPhase.BEFORE, () -> Deferred.succeed("already fired"));

    Deferred<Void> beforeDone = event.fireBefore();
    assertThat(beforeDone.isCalled()).isFalse();

    pending.callback("now");
    assertThat(beforeDone.isCalled()).isTrue();
  }

  @Test
  void withNoBeforeDeferredTheDeferredOfFireBeforeHasFiredWhenItReturns() {
    event.addTrigger(SystemEventPhase.BEFORE, record("before"));

    assertThat(event.fireBefore().isCalled()).isTrue();
    assertThat(events).containsExactly("before");
  }

  @Test
  void aBeforeTriggerThatThrowsIsLoggedAndTheOthersStillRun(LogCapture logs) {
    IllegalStateException thrown = new IllegalStateException("expected by the test: before");
    add(
        SystemEventPhase.BEFORE,
        () -> {
          throw thrown;
        });
    event.addTrigger(SystemEventPhase.BEFORE, record("before"));
    event.addTrigger(SystemEventPhase.DURING, record("during"));

    event.fire();

    assertThat(events).containsExactly("before", "during");
    assertThat(logs.take(Level.ERROR, ThreePhaseEventTest.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("a BEFORE test trigger failed");
              assertThat(e.thrown()).isSameAs(thrown);
            });
  }

  @Test
  void aDuringTriggerThatThrowsIsLoggedAndTheOthersStillRun(LogCapture logs) {
    IllegalStateException thrown = new IllegalStateException("expected by the test: during");
    add(
        SystemEventPhase.DURING,
        () -> {
          throw thrown;
        });
    event.addTrigger(SystemEventPhase.DURING, record("during"));
    event.addTrigger(SystemEventPhase.AFTER, record("after"));

    event.fire();

    assertThat(events).containsExactly("during", "after");
    assertThat(logs.take(Level.ERROR, ThreePhaseEventTest.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("a DURING test trigger failed");
              assertThat(e.thrown()).isSameAs(thrown);
            });
  }

  @Test
  void anAfterTriggerThatThrowsIsLoggedAndTheOthersStillRun(LogCapture logs) {
    IllegalStateException thrown = new IllegalStateException("expected by the test: after");
    add(
        SystemEventPhase.AFTER,
        () -> {
          throw thrown;
        });
    event.addTrigger(SystemEventPhase.AFTER, record("after"));

    event.fire();

    assertThat(events).containsExactly("after");
    assertThat(logs.take(Level.ERROR, ThreePhaseEventTest.class))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("an AFTER test trigger failed"));
  }

  @Test
  void aBeforeTriggersFailedDeferredIsLoggedAndCountsAsFired(LogCapture logs) {
    IllegalStateException thrown = new IllegalStateException("expected by the test: failed");
    Deferred<String> failing = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> failing);
    event.addTrigger(SystemEventPhase.DURING, record("during"));

    event.fire();
    failing.errback(thrown);

    assertThat(events).containsExactly("during");
    assertThat(logs.take(Level.ERROR, ThreePhaseEventTest.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("a BEFORE test trigger's Deferred failed");
              assertThat(e.thrown()).isSameAs(thrown);
            });
  }

  @Test
  void aBeforeTriggerMayRemoveOneThatHasAlreadyRunWithoutEffect() {
    Object[] first = new Object[1];
    first[0] = event.addTrigger(SystemEventPhase.BEFORE, record("first before"));
    add(SystemEventPhase.BEFORE, () -> event.removeTrigger(first[0]));
    event.addTrigger(SystemEventPhase.BEFORE, record("second before"));

    event.fire();

    assertThat(events).containsExactly("first before", "second before");
  }

  @Test
  void aBeforeTriggerThatRemovesAPendingBeforeTriggerKeepsItFromRunning() {
    Object[] pending = new Object[1];
    add(SystemEventPhase.BEFORE, () -> event.removeTrigger(pending[0]));
    pending[0] = event.addTrigger(SystemEventPhase.BEFORE, record("first before"));
    event.addTrigger(SystemEventPhase.BEFORE, record("second before"));

    event.fire();

    assertThat(events).containsExactly("second before");
  }

  @Test
  void aBeforeTriggerThatRemovesADuringTriggerKeepsItFromRunning() {
    Object[] during = new Object[1];
    add(SystemEventPhase.BEFORE, () -> event.removeTrigger(during[0]));
    during[0] = event.addTrigger(SystemEventPhase.DURING, record("during"));
    event.addTrigger(SystemEventPhase.AFTER, record("after"));

    event.fire();

    assertThat(events).containsExactly("after");
  }

  @Test
  void aDuringTriggerRemovedWhileBeforeDeferredsArePendingDoesNotRun() {
    Deferred<String> beforeResult = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> beforeResult);
    Object during = event.addTrigger(SystemEventPhase.DURING, record("during"));
    event.addTrigger(SystemEventPhase.AFTER, record("after"));

    event.fire();
    event.removeTrigger(during);
    beforeResult.callback("done");

    assertThat(events).containsExactly("after");
  }

  @Test
  void removingTheDuringHandleOfATriggerAlsoAddedBeforeRemovesOnlyTheDuringOne() {
    Supplier<Deferred<?>> same = record("trigger");
    event.addTrigger(SystemEventPhase.BEFORE, same);
    Object[] during = new Object[1];
    add(SystemEventPhase.BEFORE, () -> event.removeTrigger(during[0]));
    during[0] = event.addTrigger(SystemEventPhase.DURING, same);

    event.fire();

    assertThat(events).containsExactly("trigger");
  }

  @Test
  void aDuringTriggerThatRemovesAPendingDuringTriggerKeepsItFromRunning() {
    Object[] pending = new Object[1];
    add(SystemEventPhase.DURING, () -> event.removeTrigger(pending[0]));
    pending[0] = event.addTrigger(SystemEventPhase.DURING, record("first during"));
    event.addTrigger(SystemEventPhase.DURING, record("second during"));

    event.fire();

    assertThat(events).containsExactly("second during");
  }

  @Test
  void theEventFiresOnceSoEachTriggerRunsOnce() {
    event.addTrigger(SystemEventPhase.BEFORE, record("before"));
    event.addTrigger(SystemEventPhase.DURING, record("during"));
    event.addTrigger(SystemEventPhase.AFTER, record("after"));
    event.fire();

    assertThatThrownBy(event::fire)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot begin the BEFORE phase of the test event: it is over");
    assertThat(events).containsExactly("before", "during", "after");
  }

  @Test
  void twoEventsWaitingOnTheirBeforeDeferredsFinishIndependently() {
    ThreePhaseEvent second =
        new ThreePhaseEvent("second", LoggerFactory.getLogger(ThreePhaseEventTest.class));
    Deferred<String> firstDeferred = Deferred.create();
    Deferred<String> secondDeferred = Deferred.create();
    event.addTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          events.add("before first");
          return firstDeferred;
        });
    event.addTrigger(SystemEventPhase.AFTER, record("after first"));
    second.addTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          events.add("before second");
          return secondDeferred;
        });
    second.addTrigger(SystemEventPhase.AFTER, record("after second"));

    event.fire();
    second.fire();
    assertThat(events).containsExactly("before first", "before second");

    firstDeferred.callback("first");
    assertThat(events).containsExactly("before first", "before second", "after first");

    secondDeferred.callback("second");
    assertThat(events)
        .containsExactly("before first", "before second", "after first", "after second");
  }

  // --- Where Braid differs from Twisted, or where Twisted's type has no equivalent -------------

  @Test
  void aTriggerAddedToAPhaseThatHasBegunDoesNotRun() {
    add(
        SystemEventPhase.BEFORE,
        () -> event.addTrigger(SystemEventPhase.BEFORE, record("added during BEFORE")));
    add(
        SystemEventPhase.DURING,
        () -> event.addTrigger(SystemEventPhase.DURING, record("added during DURING")));

    event.fire();

    assertThat(events).isEmpty();
  }

  @Test
  void aTriggerAddedToALaterPhaseRunsInIt() {
    add(
        SystemEventPhase.BEFORE,
        () -> event.addTrigger(SystemEventPhase.DURING, record("added to DURING by BEFORE")));
    add(
        SystemEventPhase.DURING,
        () -> event.addTrigger(SystemEventPhase.AFTER, record("added to AFTER by DURING")));

    event.fire();

    assertThat(events).containsExactly("added to DURING by BEFORE", "added to AFTER by DURING");
  }

  @Test
  void theHostMayWorkBetweenThePhases() {
    event.addTrigger(SystemEventPhase.BEFORE, record("before"));
    event.addTrigger(SystemEventPhase.DURING, record("during"));
    event.addTrigger(SystemEventPhase.AFTER, record("after"));

    event.fireBefore().addCallback(ignored -> events.add("the host closes its connections"));
    events.add("the host's loop turns");
    event.fireDuring();
    event.fireAfter();

    assertThat(events)
        .containsExactly(
            "before",
            "the host closes its connections",
            "the host's loop turns",
            "during",
            "after");
  }

  @Test
  void thePhasesMustBeginInOrder() {
    assertThatThrownBy(event::fireDuring)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot begin the DURING phase of the test event: it has not fired");
    assertThatThrownBy(event::fireAfter)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot begin the AFTER phase of the test event: it has not fired");

    Deferred<String> pending = Deferred.create();
    event.addTrigger(SystemEventPhase.BEFORE, () -> pending);
    event.fireBefore();
    assertThatThrownBy(event::fireDuring)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cannot begin the DURING phase of the test event: the BEFORE phase has not finished");

    pending.callback("done");
    assertThatThrownBy(event::fireAfter)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot begin the AFTER phase of the test event: the BEFORE phase is over");
    event.fireDuring();
    assertThatThrownBy(event::fireDuring)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot begin the DURING phase of the test event: the DURING phase is over");
    event.fireAfter();
  }
}
