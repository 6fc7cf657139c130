package dev.braid.defer;

import static dev.braid.defer.DebugThreads.inDebugMode;
import static dev.braid.defer.DebugThreads.outsideDebugMode;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The registry of pending Deferreds kept in debug mode, and its dump. */
class PendingDeferredsTest {
  private static PendingDeferreds mine() {
    return PendingDeferreds.of(Thread.currentThread());
  }

  // Distinctive names, so that sites can be found in a dump.

  private static <T> Deferred<T> createdInThisMethod() {
    return Deferred.create();
  }

  private static <T> Deferred<T> callbackAddedInThisMethod(Deferred<T> d) {
    return d.addCallback(x -> x);
  }

  @Test
  void inDebugModeAnUnfiredDeferredIsPendingUntilItFires() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();

          assertThat(mine().pending()).containsExactly(d);

          d.callback("done");
          assertThat(mine().pending()).isEmpty();
        });
  }

  @Test
  void aDeferredWaitingOnAnInnerOneIsPendingUntilTheInnerFires() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> inner = Deferred.create();
          Deferred<String> outer = Deferred.succeed("x").addCallbackDeferred(x -> inner);

          assertThat(mine().pending()).containsExactly(inner, outer);

          inner.callback("y");
          assertThat(mine().pending()).isEmpty();
        });
  }

  @Test
  void aPausedDeferredIsPendingUntilUnpaused() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.succeed("x");
          d.pause();
          assertThat(mine().pending()).containsExactly(d);
          d.unpause();
          assertThat(mine().pending()).isEmpty();
        });
  }

  @Test
  void outsideDebugModeNothingIsTrackedAndTheDumpSaysHowToTurnTrackingOn() throws Exception {
    outsideDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();

          assertThat(mine().pending()).isEmpty();
          assertThat(mine().dump())
              .contains("not tracked")
              .contains("-Dbraid.debug=true")
              .contains("Deferred.setDebugging(true)");
          d.callback("unused");
        });
  }

  @Test
  void aDeferredCreatedBeforeDebugModeWasTurnedOnIsNotTracked() throws Exception {
    outsideDebugMode(
        () -> {
          Deferred<String> before = Deferred.create();
          Deferred.setDebugging(true);
          Deferred<String> after = Deferred.create();

          assertThat(mine().pending()).containsExactly(after);
          PendingDeferreds.noteWaitingOn(before, "something");
          assertThat(ChainPicture.text(before)).doesNotContain("something");
          before.callback("x");
          after.callback("y");
        });
  }

  @Test
  void aCollectedDeferredLeavesTheRegistry() throws Exception {
    inDebugMode(
        () -> {
          WeakReference<Deferred<String>> ref = new WeakReference<>(Deferred.create());
          assertThat(mine().trackedCount()).isEqualTo(1);

          assertThat(DebugThreads.collected(ref)).as("collected").isTrue();
          assertThat(DebugThreads.gcUntil(() -> mine().trackedCount() == 0))
              .as("forgotten")
              .isTrue();
        });
  }

  @Test
  void theDumpGivesTheAgeTheCreationSiteAndTheCallbacksByTheLinesThatAddedThem() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = createdInThisMethod();
          callbackAddedInThisMethod(d);

          String dump = mine().dump();

          assertThat(dump)
              .startsWith("1 pending Deferred on thread \"" + Thread.currentThread().getName())
              .contains(", the oldest created ")
              .contains(ChainPicture.name(d) + ": no result yet")
              .containsPattern(
                  "created \\d+\\.\\d s ago at dev\\.braid\\.defer\\.PendingDeferredsTest"
                      + "\\.createdInThisMethod\\(PendingDeferredsTest\\.java:\\d+\\)")
              .containsPattern(
                  "1\\. callback added at dev\\.braid\\.defer\\.PendingDeferredsTest"
                      + "\\.callbackAddedInThisMethod\\(PendingDeferredsTest\\.java:\\d+\\):"
                      + " not run yet")
              .doesNotContain("$$Lambda");
          d.callback("x");
        });
  }

  @Test
  void anInnerDeferredIsDrawnInsideTheOneWaitingOnItNotListedAgain() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> inner = Deferred.create();
          Deferred<String> outer = Deferred.succeed("x").addCallbackDeferred(x -> inner);

          String dump = mine().dump();

          assertThat(dump).startsWith("2 pending Deferreds");
          List<String> entries = dump.lines().filter(l -> l.startsWith("Deferred@")).toList();
          assertThat(entries)
              .containsExactly(
                  ChainPicture.name(outer) + ": waiting on " + ChainPicture.name(inner));
          assertThat(dump)
              .containsPattern("\\n +" + ChainPicture.name(inner) + ": no result yet")
              .contains("resume " + ChainPicture.name(outer) + ": not run yet");
          inner.callback("y");
        });
  }

  @Test
  void moreThanThreeDeferredsCreatedAtOneSiteAreFoldedIntoOneEntry() throws Exception {
    inDebugMode(
        () -> {
          List<Deferred<String>> made = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            made.add(createdInThisMethod());
          }

          String dump = mine().dump();

          assertThat(dump)
              .startsWith("10 pending Deferreds")
              .containsPattern(
                  "10 Deferreds created at dev\\.braid\\.defer\\.PendingDeferredsTest"
                      + "\\.createdInThisMethod\\(PendingDeferredsTest\\.java:\\d+\\), \\d+\\.\\d s"
                      + " to \\d+\\.\\d s old: ")
              .contains(ChainPicture.name(made.get(0)) + ", ")
              .contains(" and 2 more. The oldest:\n  " + ChainPicture.name(made.get(0)) + ":");
          assertThat(dump.lines().filter(l -> l.contains(": no result yet"))).hasSize(1);
          made.forEach(d -> d.callback("x"));
        });
  }

  @Test
  void threeDeferredsCreatedAtOneSiteAreEachDrawn() throws Exception {
    inDebugMode(
        () -> {
          List<Deferred<String>> made = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            made.add(createdInThisMethod());
          }

          String dump = mine().dump();

          assertThat(dump).doesNotContain("Deferreds created at");
          assertThat(dump.lines().filter(l -> l.endsWith(": no result yet"))).hasSize(3);
          made.forEach(d -> d.callback("x"));
        });
  }

  @Test
  void whatADeferredWaitsOnIsDescribedByTheDumpsDescriberElseByItsToString() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();
          Object connection =
              new Object() {
                @Override
                public String toString() {
                  return "a connection to the upstream";
                }
              };
          PendingDeferreds.noteWaitingOn(d, connection);

          assertThat(mine().dump()).endsWith("\n  waits on a connection to the upstream");
          assertThat(
                  mine().dump(what -> what == connection ? "connection X, 0 bytes received" : null))
              .contains("  waits on connection X, 0 bytes received");
          d.callback("x");
        });
  }

  @Test
  void aDeferredNotedAsWaitedOnIsDrawnInsideTheWaitingOne() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> fetch = Deferred.create();
          Deferred<String> waiter = Deferred.create();
          PendingDeferreds.noteWaitingOn(waiter, fetch);

          String dump = mine().dump();

          assertThat(dump.lines().filter(l -> l.startsWith("Deferred@")))
              .containsExactly(ChainPicture.name(waiter) + ": no result yet");
          assertThat(dump)
              .contains("  waits on " + ChainPicture.name(fetch) + ":\n")
              .contains("    " + ChainPicture.name(fetch) + ": no result yet");
          fetch.callback("x");
          assertThat(mine().dump()).doesNotContain("waits on " + ChainPicture.name(fetch));
          waiter.callback("x");
        });
  }

  @Test
  void whenWhatItWaitedOnWasCollectedTheDumpSaysNothingCanFireIt() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();
          Object gone = new Object();
          WeakReference<Object> ref = new WeakReference<>(gone);
          PendingDeferreds.noteWaitingOn(d, gone);
          gone = null;

          assertThat(DebugThreads.collected(ref)).isTrue();
          assertThat(mine().dump()).contains("garbage-collected").contains("nothing can fire it");
          d.callback("x");
        });
  }

  @Test
  void addTimeoutNotesItsTimeoutAndWhenItExpires() throws Exception {
    inDebugMode(
        () -> {
          VirtualClock clock = VirtualClock.create();
          Deferred<String> d = Deferred.<String>create().addTimeout(Duration.ofSeconds(5), clock);
          clock.advance(Duration.ofSeconds(2));

          assertThat(mine().dump())
              .contains("waits on its timeout of 5 seconds (addTimeout), expires in 3.0 s")
              .contains("callback/errback (addTimeout) added at");

          WeakReference<Object> sentinel = new WeakReference<>(new Object());
          assertThat(DebugThreads.collected(sentinel)).as("a collection ran").isTrue();
          assertThat(mine().dump())
              .contains("waits on its timeout of 5 seconds")
              .doesNotContain("garbage-collected");
          d.callback("x");
        });
  }

  @Test
  void aCoroutinesDeferredsBelongToTheThreadItRunsInLockStepWithAndItsResultWaitsOnTheAwaited()
      throws Exception {
    inDebugMode(
        () -> {
          AtomicReference<Deferred<String>> awaited = new AtomicReference<>();
          Deferred<String> body =
              Async.run(
                  () -> {
                    awaited.set(Deferred.create());
                    return Async.await(awaited.get());
                  });

          assertThat(mine().pending()).contains(awaited.get(), body);
          String dump = mine().dump();
          assertThat(dump.lines().filter(l -> l.startsWith("Deferred@")))
              .containsExactly(ChainPicture.name(body) + ": no result yet");
          assertThat(dump).contains("waits on " + ChainPicture.name(awaited.get()) + ":");
          awaited.get().callback("done");
          assertThat(mine().pending()).isEmpty();
        });
  }

  @Test
  void anotherThreadsDeferredsAreInItsOwnRegistry() throws Exception {
    List<Deferred<String>> other = new ArrayList<>();
    Thread[] otherThread = new Thread[1];
    inDebugMode(
        () -> {
          otherThread[0] = Thread.currentThread();
          other.add(Deferred.create());
        });
    inDebugMode(
        () -> {
          Deferred<String> d = Deferred.create();
          assertThat(mine().pending()).containsExactly(d);
          assertThat(PendingDeferreds.of(otherThread[0]).pending()).isEqualTo(other);
          assertThat(PendingDeferreds.of(otherThread[0]).isOf(otherThread[0])).isTrue();
          assertThat(PendingDeferreds.all()).contains(mine(), PendingDeferreds.of(otherThread[0]));
          assertThat(PendingDeferreds.dumpAll())
              .contains("on thread \"" + Thread.currentThread().getName() + "\"")
              .contains("on thread \"" + otherThread[0].getName() + "\"");
          d.callback("x");
        });
    // The other thread's Deferred stays unfired: only its own thread may fire it in debug mode.
  }

  @Test
  void aDumpTakenFromAnotherThreadWhileTheChainsChangeNeverThrows() throws Exception {
    inDebugMode(
        () -> {
          PendingDeferreds registry = mine();
          Thread owner = Thread.currentThread();
          List<Throwable> failures = new ArrayList<>();
          Thread reader =
              new Thread(
                  () -> {
                    try {
                      while (owner.isAlive()) {
                        registry.dump();
                        registry.dot(what -> null);
                      }
                    } catch (Throwable t) {
                      synchronized (failures) {
                        failures.add(t);
                      }
                    }
                  });
          reader.start();
          for (int i = 0; i < 2_000; i++) {
            Deferred<Integer> inner = Deferred.create();
            Deferred<Integer> d = Deferred.create();
            d.addCallback(x -> x + 1).addCallbackDeferred(x -> inner).addCallback(x -> x * 2);
            d.callback(i);
            inner.callback(i);
          }
          synchronized (failures) {
            assertThat(failures).isEmpty();
          }
        });
  }

  @Test
  void theDotOfTheRegistryDrawsEachPendingDeferredOnce() throws Exception {
    inDebugMode(
        () -> {
          Deferred<String> inner = Deferred.create();
          Deferred<String> outer = Deferred.succeed("x").addCallbackDeferred(x -> inner);
          Deferred<String> lone = Deferred.create();

          String dot = mine().dot(what -> null);

          assertThat(dot).startsWith("digraph deferreds {").endsWith("}\n");
          assertThat(dot.lines().filter(l -> l.contains("[label=<<TABLE"))).hasSize(3);
          assertThat(dot)
              .contains(ChainPicture.name(inner))
              .contains(ChainPicture.name(outer))
              .contains(ChainPicture.name(lone));
          inner.callback("y");
          lone.callback("z");
        });
  }
}
