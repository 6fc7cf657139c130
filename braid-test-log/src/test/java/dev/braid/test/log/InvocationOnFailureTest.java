package dev.braid.test.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** A failed invocation is named in its failure; a plain test's failure is left as it is. */
class InvocationOnFailureTest {
  /** Samples: run only through the engine test kit (surefire skips nested classes). */
  @ExtendWith(InvocationOnFailure.class)
  static class Samples {
    @ParameterizedTest(name = "random splits up to 16, seed {0}")
    @ValueSource(longs = {42, 43})
    void failsForOneSeed(long seed) {
      assertThat(seed).isNotEqualTo(43);
    }

    @Test
    void failsPlainly() {
      throw new AssertionError("plain");
    }
  }

  private static List<Throwable> failures() {
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(Samples.class))
        .execute()
        .testEvents()
        .failed()
        .list()
        .stream()
        .map(Event::getPayload)
        .map(p -> p.orElseThrow())
        .map(p -> ((TestExecutionResult) p).getThrowable().orElseThrow())
        .toList();
  }

  @Test
  void aFailedInvocationCarriesItsDisplayNameAndAPlainTestIsUntouched() {
    List<Throwable> failures = failures();
    assertThat(failures).hasSize(2);
    Throwable invocation =
        failures.stream().filter(t -> !"plain".equals(t.getMessage())).findFirst().orElseThrow();
    assertThat(invocation.getSuppressed())
        .singleElement()
        .isInstanceOf(InvocationOnFailure.InvocationName.class)
        .extracting(Throwable::getMessage)
        .isEqualTo("in the invocation random splits up to 16, seed 43");
    assertThat(invocation.getSuppressed()[0].getStackTrace()).isEmpty();
    Throwable plain =
        failures.stream().filter(t -> "plain".equals(t.getMessage())).findFirst().orElseThrow();
    assertThat(plain.getSuppressed()).isEmpty();
  }
}
