package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a coroutine body unfinished, i.e. a virtual thread parked for good:
 * every test must fire or cancel what its coroutines await. Bodies count as finished once they hand
 * their outcome back, which happens before the firing call returns, so no waiting is needed.
 */
final class AsyncHygiene implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(AsyncHygiene.class);

  /** Creates the extension; JUnit calls this. */
  AsyncHygiene() {}

  /** The number of coroutine bodies started and not yet finished, in this JVM. */
  static int unfinishedBodies() {
    return LockStepCoroutine.unfinished();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("before", unfinishedBodies());
    context.getStore(NS).put("mark", UnhandledFailures.mark());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    int before = context.getStore(NS).get("before", Integer.class);
    assertThat(unfinishedBodies())
        .as("coroutine bodies left suspended by the test (fire or cancel what they await)")
        .isEqualTo(before);
    long mark = context.getStore(NS).get("mark", Long.class);
    assertThat(UnhandledFailures.pendingSince(mark))
        .as("failures the test left unhandled")
        .isEmpty();
  }
}
