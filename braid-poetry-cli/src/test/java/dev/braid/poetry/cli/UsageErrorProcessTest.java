package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Usage errors a new user met, through a real {@code poetry} process: exit status 2, one line on
 * standard error saying what is wrong in the user's words, nothing on standard output. {@link
 * CliTest} checks many more in-process.
 */
class UsageErrorProcessTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "get --xform shout 10000 | poetry get: --xform needs --xform-server",
        "serve --num-bytes 20 poem.txt | poetry serve: --num-bytes needs a --delay above 0",
        "get ftp://example.org/poem.txt | poetry get: unsupported URL scheme 'ftp'",
        "serve poem.txt other.txt | poetry serve: unexpected argument 'other.txt': expected one"
            + " FILE"
      })
  void aUsageErrorIsOneLineAndExitStatusTwo(String args, String expected) {
    try (Child poetry = Child.poetry(args.strip().split(" +"))) {
      assertThat(poetry.waitFor()).isEqualTo(2);
      assertThat(poetry.errText()).startsWith(expected.strip()).endsWith("\n");
      assertThat(poetry.errText().lines()).hasSize(1);
      assertThat(poetry.outText()).isEmpty();
    }
  }
}
