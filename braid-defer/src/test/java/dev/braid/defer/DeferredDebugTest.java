package dev.braid.defer;

import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.braid.defer.DeferredResults.CapturedLog;
import dev.braid.defer.TestErrors.GenericError;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec section 10, debug mode: creation and firing sites, and decision 5's warning. */
class DeferredDebugTest {
  private boolean debuggingBefore;

  @BeforeEach
  void rememberDebugFlag() {
    debuggingBefore = Deferred.isDebugging();
  }

  @AfterEach
  void restoreDebugFlag() {
    Deferred.setDebugging(debuggingBefore);
  }

  // Distinctive method names, so the sites can be found in the message.

  private static Deferred<Object> createdInThisMethod() {
    return Deferred.create();
  }

  private static void firstFiredInThisMethod(Deferred<Object> d, String how) {
    fire(d, how);
  }

  private static void secondFiredInThisMethod(Deferred<Object> d, String how) {
    fire(d, how);
  }

  private static void fire(Deferred<Object> d, String how) {
    if (how.equals("callback")) {
      d.callback("result");
    } else {
      d.errback(new GenericError());
    }
  }

  @ParameterizedTest(name = "{0} then {1}")
  @CsvSource({"callback,callback", "callback,errback", "errback,callback", "errback,errback"})
  void alreadyCalledNamesTheCreatorAndTheFirstInvokerButNeverTheSecond(
      String first, String second) {
    Deferred.setDebugging(true);
    Deferred<Object> d = createdInThisMethod();
    firstFiredInThisMethod(d, first);

    AlreadyCalledException e =
        catchThrowableOfType(
            AlreadyCalledException.class, () -> secondFiredInThisMethod(d, second));

    String message = e.getMessage();
    assertThat(message)
        .startsWith("\n C: Deferred was created:\n C:")
        .contains("\n I: First Invoker was:\n I:")
        .contains(" C:\tdev.braid.defer.DeferredDebugTest.createdInThisMethod(")
        .contains(" I:\tdev.braid.defer.DeferredDebugTest.firstFiredInThisMethod(")
        .doesNotContain("secondFiredInThisMethod");
    assertThat(message.lines().skip(1))
        .allMatch(line -> line.startsWith(" C:") || line.startsWith(" I:"));
    if (first.equals("errback")) {
      failureResultOf(d);
    }
  }

  @Test
  void withoutDebugModeTheMessageNamesNoSites() {
    Deferred.setDebugging(false);
    Deferred<Object> d = createdInThisMethod();
    d.callback(1);

    AlreadyCalledException e =
        catchThrowableOfType(AlreadyCalledException.class, () -> d.callback(2));

    assertThat(e.getMessage()).doesNotContain(" C:").doesNotContain(" I:");
  }

  @Test
  void turningDebugModeOnBetweenCreationAndFiringRecordsOnlyTheInvoker() {
    Deferred.setDebugging(false);
    Deferred<Object> d = createdInThisMethod();
    Deferred.setDebugging(true);
    firstFiredInThisMethod(d, "callback");

    AlreadyCalledException e =
        catchThrowableOfType(AlreadyCalledException.class, () -> d.callback(2));

    assertThat(e.getMessage())
        .doesNotContain("createdInThisMethod")
        .contains(" I:\tdev.braid.defer.DeferredDebugTest.firstFiredInThisMethod(");
  }

  @Test
  void turningDebugModeOffBetweenCreationAndFiringRecordsOnlyTheCreator() {
    Deferred.setDebugging(true);
    Deferred<Object> d = createdInThisMethod();
    Deferred.setDebugging(false);
    firstFiredInThisMethod(d, "callback");

    AlreadyCalledException e =
        catchThrowableOfType(AlreadyCalledException.class, () -> d.callback(2));

    assertThat(e.getMessage())
        .contains(" C:\tdev.braid.defer.DeferredDebugTest.createdInThisMethod(")
        .doesNotContain("firstFiredInThisMethod");
    assertThat(successResultOf(d)).isEqualTo("result");
  }

  @Test
  void setDebuggingIsReadBackByIsDebugging() {
    Deferred.setDebugging(true);
    assertThat(Deferred.isDebugging()).isTrue();
    Deferred.setDebugging(false);
    assertThat(Deferred.isDebugging()).isFalse();
  }

  @Test
  void inDebugModeAFailureCarriesItsDeferredsCreationAndFiringSites() {
    Deferred.setDebugging(true);
    Deferred<Object> d = createdInThisMethod();
    firstFiredInThisMethod(d, "errback");

    Failure failure = failureResultOf(d, GenericError.class);

    assertThat(failure.creationSite())
        .anyMatch(frame -> frame.getMethodName().equals("createdInThisMethod"));
    assertThat(failure.firingSite())
        .anyMatch(frame -> frame.getMethodName().equals("firstFiredInThisMethod"));
    assertThat(failure.getTraceback())
        .contains("Deferred was created:")
        .contains("Deferred was first fired:")
        .contains("createdInThisMethod");
  }

  @Test
  void outsideDebugModeAFailureCarriesNoSites() {
    Deferred.setDebugging(false);
    Deferred<Object> d = createdInThisMethod();
    d.errback(new GenericError());
    Failure failure = failureResultOf(d);
    assertThat(failure.creationSite()).isEmpty();
    assertThat(failure.firingSite()).isEmpty();
  }

  @Test
  void aDeferredListsCreationSiteStartsAtTheListNotInsideDeferred() {
    Deferred.setDebugging(true);
    Deferred<Object> input = Deferred.create();
    Deferred<List<Outcome<Object>>> list = DeferredList.of(List.of(input)).deferred();
    input.callback(1);

    AlreadyCalledException e =
        catchThrowableOfType(AlreadyCalledException.class, () -> list.callback(null));

    assertThat(e.getMessage())
        .contains(" C:\tdev.braid.defer.DeferredList.<init>(")
        .contains(" C:\tdev.braid.defer.DeferredDebugTest.");
  }

  // --- Decision 5 -------------------------------------------------------------------------------

  @Test
  void inDebugModeASecondOuterWaitingOnTheSameInnerLogsAWarning_decision5() {
    Deferred.setDebugging(true);
    try (CapturedLog log = CapturedLog.of(Deferred.class)) {
      Deferred<String> inner = Deferred.create();
      Consumer<Deferred<Object>> waitOnInner =
          outer -> {
            outer.addCallbackDeferred(x -> inner);
            outer.callback(null);
          };
      waitOnInner.accept(Deferred.create());
      assertThat(log.records()).isEmpty();

      waitOnInner.accept(Deferred.create());

      assertThat(log.records())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getLevel()).isEqualTo(Level.WARNING);
                assertThat(r.getMessage()).contains("the second one gets null");
              });
    }
  }

  @Test
  void outsideDebugModeASecondOuterOnTheSameInnerLogsNothing() {
    Deferred.setDebugging(false);
    try (CapturedLog log = CapturedLog.of(Deferred.class)) {
      Deferred<String> inner = Deferred.create();
      Deferred<Object> a = Deferred.succeed(null);
      a.addCallbackDeferred(x -> inner);
      Deferred<Object> b = Deferred.succeed(null);
      b.addCallbackDeferred(x -> inner);
      assertThat(log.records()).isEmpty();
    }
  }
}
