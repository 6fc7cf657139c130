package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.test.RunningReactor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Async} bodies on a real reactor: through {@link LockStep}'s default lookup, {@link
 * Async#ownerThread()}, a body running in lock-step with the reactor thread may call reactor-only
 * methods, before and after it awaits a Deferred that the reactor's timer fires.
 */
class AsyncOnReactorTest {

  @Test
  void aBodyStartedOnTheReactorThreadActsAsTheReactorThreadAcrossItsAwaits() {
    try (RunningReactor r = RunningReactor.start()) {
      Thread reactorThread = r.call(Thread::currentThread);
      List<Object> seen = new ArrayList<>();
      String result =
          r.await(
              () ->
                  Async.run(
                      () -> {
                        seen.add(Thread.currentThread() != reactorThread);
                        seen.add(r.reactor().isReactorThread());
                        Deferred<String> later = Deferred.create();
                        // A reactor-only method, called from the body:
                        r.reactor().callLater(0.01, () -> later.callback("fired by the reactor"));
                        String value = Async.await(later);
                        seen.add(Async.ownerThread() == reactorThread);
                        seen.add(r.reactor().isReactorThread());
                        return value;
                      }));
      assertThat(result).isEqualTo("fired by the reactor");
      assertThat(seen).containsExactly(true, true, true, true);
    }
  }

  @Test
  void aVirtualThreadThatIsNotABodyIsStillRefused() throws Exception {
    try (RunningReactor r = RunningReactor.start()) {
      List<Object> out = new ArrayList<>();
      Thread stranger =
          Thread.ofVirtual()
              .start(
                  () -> {
                    out.add(r.reactor().isReactorThread());
                    try {
                      r.reactor().callLater(1, () -> {});
                      out.add("accepted");
                    } catch (IllegalStateException e) {
                      out.add("refused");
                    }
                  });
      stranger.join(RunningReactor.TIMEOUT);
      assertThat(out).containsExactly(false, "refused");
    }
  }
}
