package dev.braid.defer.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OuterInnerExampleTest {
  @Test
  void outerTwoResumesWithTheInnerResultAfterTheInnerFires() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OuterInnerExample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);

    assertThat(text)
        .containsSubsequence(
            "outer 1, callback 3 got 'first result'",
            "outer 2, callback 2 got 'second result' and returns the inner Deferred",
            "waiting on Deferred@",
            "Later: the inner Deferred fires with 'inner result'.",
            "outer 2, callback 3 got 'inner result'",
            "current result: inner result");
    assertThat(text.indexOf("outer 2, callback 3"))
        .isGreaterThan(text.indexOf("Later: the inner Deferred fires"));
  }
}
