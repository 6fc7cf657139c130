package dev.braid.test;

import static dev.braid.test.DeferredAssertions.assertNoResult;
import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Failure;
import dev.braid.defer.UnhandledFailures;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Trial's successResultOf / failureResultOf / assertNoResult, and the AssertJ entry point. */
class DeferredAssertionsTest {
  @Test
  void successResultOfReturnsTheValueAndConsumesIt() {
    Deferred<String> d = Deferred.succeed("poem");
    assertThat(successResultOf(d)).isEqualTo("poem");
    assertThat(successResultOf(d)).isNull();
  }

  @Test
  void successResultOfWithoutAResultFails() {
    Deferred<String> d = Deferred.create();
    assertThatThrownBy(() -> successResultOf(d))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith("Success result expected on Deferred@")
        .hasMessageEndingWith(", found no result instead");
  }

  @Test
  void successResultOfOnAFailureFailsWithTheTracebackAndHandlesIt() {
    long mark = UnhandledFailures.mark();
    Deferred<String> d = Deferred.fail(new IOException("reset"));
    assertThatThrownBy(() -> successResultOf(d))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("found failure result instead")
        .hasMessageContaining("java.io.IOException: reset")
        .hasCauseInstanceOf(IOException.class);
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void failureResultOfReturnsTheFailureAndHandlesIt() {
    long mark = UnhandledFailures.mark();
    Deferred<String> d = Deferred.fail(new IOException("reset"));
    Failure failure = failureResultOf(d, IllegalStateException.class, IOException.class);
    assertThat(failure.value()).hasMessage("reset");
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void failureResultOfWithTheWrongTypeNamesBoth() {
    Deferred<String> d = Deferred.fail(new IOException("reset"));
    assertThatThrownBy(
            () -> failureResultOf(d, IllegalStateException.class, ArithmeticException.class))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "Failure of type (java.lang.IllegalStateException or java.lang.ArithmeticException)"
                + " expected on Deferred@")
        .hasMessageContaining("found type java.io.IOException instead");
  }

  @Test
  void failureResultOfOnASuccessOrNoResultFails() {
    assertThatThrownBy(() -> failureResultOf(Deferred.succeed(7)))
        .hasMessageEndingWith("found success result (7) instead");
    assertThatThrownBy(() -> failureResultOf(Deferred.create()))
        .hasMessageEndingWith("found no result instead");
  }

  @Test
  void assertNoResultLeavesAnUnfiredDeferredAlone() {
    Deferred<String> d = Deferred.create();
    assertNoResult(d);
    d.callback("later");
    assertThat(successResultOf(d)).isEqualTo("later");
  }

  @Test
  void assertNoResultTreatsAPausedDeferredAsHavingNoResult() {
    Deferred<String> d = Deferred.succeed("x");
    d.pause();
    assertNoResult(d);
    d.unpause();
    assertThat(successResultOf(d)).isEqualTo("x");
  }

  @Test
  void assertNoResultOnAResultFailsAndKeepsASuccess() {
    Deferred<String> d = Deferred.succeed("x");
    assertThatThrownBy(() -> assertNoResult(d))
        .hasMessageStartingWith("No result expected on Deferred@")
        .hasMessageEndingWith("found success result (x) instead");
    assertThat(successResultOf(d)).isEqualTo("x");
  }

  @Test
  void assertNoResultOnAFailureReportsAndHandlesIt() {
    long mark = UnhandledFailures.mark();
    Deferred<String> d = Deferred.fail(new IOException("gone"));
    assertThatThrownBy(() -> assertNoResult(d))
        .hasMessageContaining("failure result [Failure java.io.IOException: gone]");
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void theAssertJEntryPointReadsLikeASentence() {
    DeferredAssert.assertThat(Deferred.<String>create()).hasNoResult();
    DeferredAssert.assertThat(Deferred.succeed("poem")).succeedsWith("poem");
    DeferredAssert.assertThat(Deferred.succeed("poem")).succeeds().isEqualTo("poem");
    DeferredAssert.assertThat(Deferred.<String>fail(new IOException("reset")))
        .failsWith(IOException.class)
        .hasMessage("reset");
  }

  @Test
  void theAssertJEntryPointExplainsAMismatch() {
    assertThatThrownBy(
            () -> DeferredAssert.assertThat(Deferred.succeed("prose")).succeedsWith("poem"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("to succeed with")
        .hasMessageContaining("poem")
        .hasMessageContaining("but it succeeded with")
        .hasMessageContaining("prose");
    assertThatThrownBy(() -> DeferredAssert.assertThat(Deferred.succeed("x")).failsWith())
        .hasMessageContaining("Failure result expected");
  }
}
