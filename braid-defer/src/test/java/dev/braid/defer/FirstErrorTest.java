package dev.braid.defer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.TestErrors.GenericError;
import org.junit.jupiter.api.Test;

/** Spec section 13: {@link FirstError}'s fields, equality and description. */
class FirstErrorTest {
  private final Failure failure = Failure.of(new GenericError("boom"));

  @Test
  void carriesTheSubFailureAndIndexAndTheInputsExceptionAsCause() {
    FirstError error = new FirstError(failure, 3);
    assertThat(error.subFailure()).isSameAs(failure);
    assertThat(error.index()).isEqualTo(3);
    assertThat(error.getCause()).isSameAs(failure.value());
  }

  @Test
  void isEqualExactlyWhenIndexAndSubFailureAreEqual() {
    FirstError error = new FirstError(failure, 1);
    assertThat(error)
        .isEqualTo(new FirstError(failure, 1))
        .hasSameHashCodeAs(new FirstError(failure, 1));
    assertThat(error).isNotEqualTo(new FirstError(failure, 2));
    assertThat(error).isNotEqualTo(new FirstError(Failure.of(new GenericError("boom")), 1));
  }

  @Test
  void isNeverEqualToAnotherType() {
    assertThat(new FirstError(failure, 1)).isNotEqualTo(new GenericError("boom")).isNotEqualTo("x");
  }

  @Test
  void describesItselfAsTwistedsStrDoes() {
    assertThat(new FirstError(failure, 2))
        .hasToString("FirstError[#2, [Failure dev.braid.defer.TestErrors$GenericError: boom]]");
  }
}
