package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --shutdown-grace}: on every server, described in its help and validated. */
class ShutdownGraceOptionTest {
  @ParameterizedTest
  @ValueSource(strings = {"serve", "proxy", "transform-server", "transform-proxy"})
  void everyServerDescribesTheGraceAndItsDefaultInItsHelp(String command) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command, "--help")).isZero();
    String help = t.out.text().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("--shutdown-grace=SECONDS")
        .contains("On Ctrl-C or SIGTERM, stop accepting")
        .contains("(default: 5; decimals allowed)")
        .contains("reset the connections still open")
        .contains("0 resets them at once");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "serve --shutdown-grace -1 f | poetry serve: invalid number of seconds '-1'",
        "serve --shutdown-grace soon f | poetry serve: invalid number of seconds 'soon'",
        "proxy --shutdown-grace 1s 10000 | poetry proxy: invalid number of seconds '1s'",
        "transform-server --shutdown-grace | poetry transform-server: missing required parameter"
            + " for option '--shutdown-grace'",
        "transform-proxy --shutdown-grace x 1 | poetry transform-proxy: invalid number of seconds"
            + " 'x'"
      })
  void aBadGraceIsAUsageErrorOnOneLine(String args, String expected) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(args.strip().split(" +"))).isEqualTo(2);
    String err = t.err.text();
    assertThat(err).startsWith(expected.strip()).endsWith("\n");
    assertThat(err.strip()).doesNotContain("\n").doesNotContain("Exception");
    assertThat(t.out.text()).isEmpty();
  }
}
