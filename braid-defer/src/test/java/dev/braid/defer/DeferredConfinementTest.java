package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debug mode's confinement check: a Deferred belongs to the thread that made it; firing it or
 * adding callbacks on another fails with an error naming both threads and the creation site.
 */
class DeferredConfinementTest {
  private boolean debuggingBefore;
  private OneThread reactorA;
  private OneThread reactorB;

  @BeforeEach
  void threads() {
    debuggingBefore = Deferred.isDebugging();
    reactorA = new OneThread("reactor-a");
    reactorB = new OneThread("reactor-b");
  }

  @AfterEach
  void stop() {
    Deferred.setDebugging(debuggingBefore);
    reactorA.close();
    reactorB.close();
  }

  private static Deferred<String> madeInThisMethod() {
    return Deferred.create();
  }

  @Test
  void aCallbackAddedFromAnotherThreadFailsNamingBothThreadsAndTheCreationSite() throws Exception {
    Deferred.setDebugging(true);
    Deferred<String> d = reactorA.call(DeferredConfinementTest::madeInThisMethod);

    assertThatThrownBy(() -> reactorB.call(() -> d.addCallback(String::length)))
        .isInstanceOf(WrongThreadException.class)
        .hasMessageContaining("belongs to thread reactor-a")
        .hasMessageContaining("given a callback on thread reactor-b")
        .hasMessageContaining("Handoff.call")
        .hasMessageContaining("madeInThisMethod");
    // Nothing was added: firing on its own thread runs no callback of reactor-b's.
    List<Object> seen = new ArrayList<>();
    reactorA.call(
        () -> {
          d.addCallback(seen::add);
          d.callback("poem");
          return null;
        });
    assertThat(seen).containsExactly("poem");
  }

  @Test
  void firingFromAnotherThreadFailsAndLeavesTheDeferredUnfired() throws Exception {
    Deferred.setDebugging(true);
    Deferred<String> d = reactorA.call(Deferred::create);

    assertThatThrownBy(() -> reactorB.call(() -> fire(d)))
        .isInstanceOf(WrongThreadException.class)
        .hasMessageContaining("fired on thread reactor-b");
    assertThat(d.isCalled()).isFalse();
    assertThatThrownBy(() -> reactorB.call(() -> fail(d))).isInstanceOf(WrongThreadException.class);
    assertThatThrownBy(() -> reactorB.call(() -> cancel(d)))
        .isInstanceOf(WrongThreadException.class)
        .hasMessageContaining("cancelled on thread reactor-b");
    assertThatThrownBy(() -> reactorB.call(() -> d.chainDeferred(Deferred.create())))
        .isInstanceOf(WrongThreadException.class)
        .hasMessageContaining("chained to another Deferred on thread reactor-b");
    assertThat(d.isCalled()).isFalse();
  }

  @Test
  void withoutDebugModeNothingIsChecked() throws Exception {
    Deferred.setDebugging(false);
    Deferred<String> d = reactorA.call(Deferred::create);

    List<Object> seen = new ArrayList<>();
    reactorB.call(() -> d.addCallback(seen::add));
    reactorB.call(() -> fire(d));

    assertThat(seen).containsExactly("poem");
  }

  @Test
  void aDeferredMadeBeforeDebugModeWasTurnedOnIsNotChecked() throws Exception {
    Deferred.setDebugging(false);
    Deferred<String> d = reactorA.call(Deferred::create);
    Deferred.setDebugging(true);

    reactorB.call(() -> fire(d));

    assertThat(d.isCalled()).isTrue();
  }

  @Test
  void theOwnThreadMayDoEverything() throws Exception {
    Deferred.setDebugging(true);
    String result =
        reactorA.call(
            () -> {
              Deferred<String> d = Deferred.create();
              Deferred<Integer> length = d.addCallback(String::length);
              d.callback("poem");
              Deferred<String> later = Deferred.succeed("x");
              later.addCallback(s -> s + "y");
              return length.toString();
            });
    assertThat(result).contains("current result: 4");
  }

  @Test
  void aCoroutineBodyActsForItsThread() throws Exception {
    Deferred.setDebugging(true);
    String result =
        reactorA.call(
            () -> {
              Deferred<String> outside = Deferred.create();
              Deferred<String>[] inside = newArray();
              Deferred<String> body =
                  Async.run(
                      () -> {
                        // Made and awaited on the body's virtual thread, for reactor-a.
                        inside[0] = Deferred.create();
                        return Async.await(outside) + Async.await(inside[0]);
                      });
              outside.callback("in ");
              inside[0].callback("lock-step");
              return DeferredResults.successResultOf(body);
            });
    assertThat(result).isEqualTo("in lock-step");
  }

  @Test
  void handoffKeepsEveryDeferredOnItsOwnThread() throws Exception {
    Deferred.setDebugging(true);
    Deferred<String> owned = reactorA.call(Deferred::create);
    Deferred<String> answer = reactorB.call(() -> Handoff.call(reactorA, () -> owned, reactorB));
    reactorA.call(() -> fire(owned));
    reactorA.settle();
    reactorB.settle();

    assertThat(reactorB.call(() -> DeferredResults.successResultOf(answer))).isEqualTo("poem");
  }

  private static Void fire(Deferred<String> d) {
    d.callback("poem");
    return null;
  }

  private static Void fail(Deferred<String> d) {
    d.errback(new IllegalStateException("no poem"));
    return null;
  }

  private static Void cancel(Deferred<String> d) {
    d.cancel();
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Deferred<String>[] newArray() {
    return (Deferred<String>[]) new Deferred<?>[1];
  }
}
