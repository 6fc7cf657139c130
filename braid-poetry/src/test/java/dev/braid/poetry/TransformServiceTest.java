package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.failureResultOf;
import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.test.BraidExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BraidExtension.class)
class TransformServiceTest {
  final TransformService service = TransformService.standard();

  @Test
  void cummingsifyLowerCasesEverythingIncludingNonAsciiLetters() throws Exception {
    assertThat(service.transform("cummingsify", "Die Uhr SCHLÄGT — CRÈME Brûlée"))
        .isEqualTo("die uhr schlägt — crème brûlée");
  }

  @Test
  void shoutUpperCasesWithoutTheMachinesLocale() throws Exception {
    assertThat(service.transform("shout", "quick and cheap, i")).isEqualTo("QUICK AND CHEAP, I");
  }

  @Test
  void reverseWritesEachLineBackwardsKeepingLineEndsAndSurrogatePairs() throws Exception {
    assertThat(service.transform("reverse", "abc\r\nDé𝄞f\n\nlast"))
        .isEqualTo("cba\r\nf𝄞éD\n\ntsal");
    assertThat(service.transform("reverse", "")).isEmpty();
    assertThat(service.transform("reverse", "x\n")).isEqualTo("x\n");
  }

  @Test
  void failAlwaysFails() {
    assertThatThrownBy(() -> service.transform("fail", "anything"))
        .isInstanceOf(TransformException.class)
        .hasMessage("the transform 'fail' failed: the 'fail' transform always fails");
  }

  @Test
  void anUnknownTransformFails() {
    assertThatThrownBy(() -> service.transform("sonnetify", "x"))
        .isInstanceOf(TransformException.class)
        .hasMessage("unknown transform: 'sonnetify'");
  }

  @Test
  void xformReturnsAnAlreadyFiredDeferred() {
    assertThat(successResultOf(service.xform("cummingsify", "ABC"))).isEqualTo("abc");
    failureResultOf(service.xform("nope", "ABC"), TransformException.class);
  }

  @Test
  void describesItsTransformsInOrder() {
    assertThat(service.descriptions())
        .containsExactly(
            org.assertj.core.api.Assertions.entry("cummingsify", "lower-case"),
            org.assertj.core.api.Assertions.entry("shout", "UPPER-CASE"),
            org.assertj.core.api.Assertions.entry("reverse", "each line backwards"),
            org.assertj.core.api.Assertions.entry("fail", "always fails"));
  }
}
