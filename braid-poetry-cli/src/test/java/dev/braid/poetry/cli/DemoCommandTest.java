package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.poetry.Poems;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code poetry demo}, run in-process. */
@Tag("loopback")
class DemoCommandTest {
  @Test
  void theDemoRunsEverythingAndExitsZero() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("demo")).isZero();
    String out = t.out.text();
    assertThat(out)
        .contains("every server and client below runs in this process, on one reactor thread")
        .containsPattern("poetry server +127\\.0\\.0\\.1:\\d+ +\"The Reactor\", sent all at once")
        .containsPattern("poetry server +127\\.0\\.0\\.1:\\d+ +\"Deferred\", sent all at once")
        .containsPattern("poetry server +127\\.0\\.0\\.1:\\d+ +\"Single Flight\", slow: 75 bytes")
        .containsPattern(
            "transform server +127\\.0\\.0\\.1:\\d+ +cummingsify, shout, reverse, fail")
        .containsPattern(
            "caching proxy +127\\.0\\.0\\.1:\\d+ +in front of 127\\.0\\.0\\.1:\\d+, TTL 2 hours")
        .contains("1. poetry get --xform cummingsify --xform-server 127.0.0.1:");
    for (Poems.Poem p : Poems.bundled()) {
      if (!p.name().equals("cafe_at_midnight")) {
        for (String line : p.text().toLowerCase(Locale.ROOT).strip().split("\n")) {
          assertThat(out).contains(line.isEmpty() ? "\n\n" : "\n    " + line + "\n");
        }
      }
    }
    assertThat(out)
        .containsPattern("from 127\\.0\\.0\\.1:\\d+ \\(357 bytes\\):")
        .containsPattern("from 127\\.0\\.0\\.1:\\d+ \\(901 bytes, through the proxy\\):");
    assertThat(out)
        .containsPattern("fetch 1: 901 bytes in \\d+ ms, from the cache; the same bytes")
        .containsPattern("fetch 2: 901 bytes in \\d+ ms, from the cache; the same bytes")
        .containsPattern(
            "Summary: 6 poems \\(4327 bytes\\) in [0-9.]+ s; 4 of 4 cummingsified;"
                + " 0 failed\\.")
        .contains("The proxy fetched from 127.0.0.1:")
        .contains("once and answered 2 of its 3 requests from its cache");
    assertThat(t.err.text()).as("no progress when redirected, no errors").isEmpty();
  }

  @Test
  void onATerminalTheDemoShowsLiveProgressOnStderr() {
    TestEnv t = TestEnv.terminal();
    assertThat(t.run("demo")).isZero();
    assertThat(t.err.text()).contains("bytes of poetry from 127.0.0.1:").endsWith("\r\u001b[J");
    assertThat(t.out.text()).doesNotContain("\u001b[");
  }
}
