package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  @ParameterizedTest
  @ValueSource(
      strings = {"", "serve", "transform-server", "get", "proxy", "transform-proxy", "demo"})
  void everyCommandHasHelpThatExitsZero(String command) {
    TestEnv t = TestEnv.redirected();
    int status = command.isEmpty() ? t.run("--help") : t.run(command, "--help");
    assertThat(status).isZero();
    String name = command.isEmpty() ? "poetry" : "poetry " + command;
    assertThat(t.out.text()).contains("Usage: " + name + " [-hV]").contains("--help", "Options:");
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void theTopHelpListsEveryCommandWithExamples() {
    TestEnv t = TestEnv.redirected();
    t.run("--help");
    assertThat(t.out.text())
        .contains(
            "serve", "transform-server", "get", "proxy", "transform-proxy", "demo", "simulate")
        .contains("Examples:", "poetry get --xform cummingsify");
  }

  @Test
  void noCommandIsAUsageErrorOnOneLine() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run()).isEqualTo(2);
    assertThat(t.err.text())
        .isEqualTo(
            "poetry: missing command: serve, transform-server, get, proxy, transform-proxy, demo,"
                + " simulate or pending (see 'poetry --help')\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "get abc | poetry get: invalid address 'abc': the port must be a number from 1 to 65535",
        "get http://[::1 | poetry get: not a valid URL: http://[::1 (expected closing bracket for"
            + " IPv6 address) (see 'poetry get --help')",
        "get 10000 host: | poetry get: invalid address 'host:': the port must be",
        "get :10000 | poetry get: invalid address ':10000': the host is empty",
        "get 0 | poetry get: invalid address '0': the port must be a number from 1 to 65535",
        "get 1:2:3 | poetry get: invalid address '1:2:3': write an IPv6 address in brackets",
        "get | poetry get: missing required parameter: 'SOURCE'",
        "get --timeout x 10000 | poetry get: invalid number of seconds 'x'",
        "get --timeout -1 10000 | poetry get: invalid number of seconds '-1'",
        "get --xform shout 10000 | poetry get: --xform needs --xform-server, the transform"
            + " server's [host:]port (see 'poetry get --help')",
        "get --xform-server 10002 10000 | poetry get: --xform-server needs --xform, the name of"
            + " the transform (see 'poetry get --help')",
        "get ftp://example.org/poem | poetry get: unsupported URL scheme 'ftp' in"
            + " 'ftp://example.org/poem': a SOURCE is a poetry server, [host:]port or"
            + " tls:[host:]port, or a web page,"
            + " http:// or https://",
        "get 10000 Gopher://example.org/ | poetry get: unsupported URL scheme 'gopher'",
        "get --xform a.b --xform-server 1 2 | poetry get: invalid transform name 'a.b'",
        "get --xform-server nope 10000 | poetry get: invalid address 'nope'",
        "get --frobnicate 10000 | poetry get: unknown option: '--frobnicate'",
        "serve | poetry serve: missing required parameter: 'FILE'",
        "serve --port 70000 f | poetry serve: invalid port '70000'",
        "serve --port -1 f | poetry serve: invalid port '-1'",
        "serve --delay soon f | poetry serve: invalid number of seconds 'soon'",
        "serve --num-bytes 0 f | poetry serve: invalid number '0': expected 1 or more",
        "serve a b | poetry serve: unexpected argument 'b': expected one FILE (see 'poetry serve"
            + " --help')",
        "serve a b c | poetry serve: unexpected arguments 'b', 'c': expected one FILE",
        "proxy 10000 10001 | poetry proxy: unexpected argument '10001': expected one SERVER",
        "transform-server 10002 | poetry transform-server: unexpected argument '10002': expected no"
            + " arguments, only options",
        "serve --num-bytes 20 f | poetry serve: --num-bytes needs a --delay above 0: without one"
            + " the poem is sent all at once (see 'poetry serve --help')",
        "serve --delay 0 --num-bytes 20 f | poetry serve: --num-bytes needs a --delay above 0",
        "proxy | poetry proxy: missing required parameter: 'SERVER'",
        "proxy --ttl forever 10000 | poetry proxy: invalid duration 'forever'",
        "proxy --ttl -1s 10000 | poetry proxy: invalid duration '-1s'",
        "proxy 10000:x | poetry proxy: invalid address '10000:x'",
        "transform-proxy | poetry transform-proxy: missing required parameter: 'SERVER'",
        "transform-server --iface | poetry transform-server: missing required parameter for option"
            + " '--iface'",
        "serve --max-connections 0 f | poetry serve: invalid number '0': expected 1 or more",
        "serve --max-connections many f | poetry serve: invalid number 'many'",
        "serve --idle-timeout 0 f | poetry serve: invalid number of seconds '0': expected a"
            + " positive number",
        "serve --idle-timeout -5 f | poetry serve: invalid number of seconds '-5'",
        "proxy --max-connections -1 10000 | poetry proxy: invalid number '-1'",
        "proxy --idle-timeout x 10000 | poetry proxy: invalid number of seconds 'x'",
        "proxy --upstream-timeout 0 10000 | poetry proxy: invalid number of seconds '0'",
        "proxy --upstream-timeout soon 10000 | poetry proxy: invalid number of seconds 'soon'",
        "proxy --cache memcached://x 10000 | poetry proxy: invalid cache 'memcached://x':"
            + " expected redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB]",
        "proxy --max-cached-size 0 10000 | poetry proxy: invalid size '0'",
        "transform-server --frame-timeout 0 | poetry transform-server: invalid number of seconds"
            + " '0'",
        "transform-server --frame-timeout | poetry transform-server: missing required parameter"
            + " for option '--frame-timeout'",
        "transform-server --max-connections 1.5 | poetry transform-server: invalid number '1.5'",
        "transform-proxy --frame-timeout -1 1 | poetry transform-proxy: invalid number of seconds"
            + " '-1'",
        "transform-proxy --idle-timeout 0 1 | poetry transform-proxy: invalid number of seconds"
            + " '0'",
        "serve --reactors 0 f | poetry serve: invalid number of reactors '0': expected 1 to 256 (one"
            + " thread each)",
        "proxy --reactors 257 1 | poetry proxy: invalid number of reactors '257'",
        "transform-server --reactors many | poetry transform-server: invalid number of reactors"
            + " 'many'",
        "transform-proxy --reactors | poetry transform-proxy: missing required parameter for option"
            + " '--reactors'",
        "sonnet | poetry: unknown command: 'sonnet'",
        "get --transport epoll 10000 | poetry get: unknown transport 'epoll': expected native or"
            + " nio",
        "serve --transport | poetry serve: missing required parameter for option '--transport'"
      })
  void usageErrorsExitTwoWithOneLineAndNoStackTrace(String args, String expected) {
    TestEnv t = TestEnv.redirected();
    int status = t.run(args.isBlank() ? new String[0] : args.strip().split(" +"));
    assertThat(status).isEqualTo(2);
    String err = t.err.text();
    assertThat(err).startsWith(expected.strip()).endsWith("\n");
    assertThat(err.strip()).doesNotContain("\n").doesNotContain("Exception");
    assertThat(err).as("no parser jargon").doesNotContain("index").doesNotContain("unmatched");
    assertThat(t.out.text()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "serve | --max-connections=N, --idle-timeout=SECONDS",
        "proxy | --max-connections=N, --idle-timeout=SECONDS, --upstream-timeout=SECONDS",
        "transform-server | --max-connections=N, --idle-timeout=SECONDS, --frame-timeout=SECONDS",
        "transform-proxy | --max-connections=N, --idle-timeout=SECONDS, --frame-timeout=SECONDS"
      })
  void theServersDocumentTheirLimitsInTheirHelp(String command, String options) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command.strip(), "--help")).isZero();
    String help = t.out.text();
    for (String option : options.strip().split(", ")) {
      assertThat(help).contains(option);
    }
    if (options.contains("--frame-timeout")) {
      assertThat(help).contains("(default: 30)").contains("slowloris");
    }
    if (options.contains("--upstream-timeout")) {
      assertThat(help).contains("(default: 30)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "proxy", "transform-server", "transform-proxy"})
  void everyServerTakesReactorsAndSaysWhatTheDefaultIs(String command) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command, "--help")).isZero();
    String help = t.out.text().replaceAll("\\s+", " ");
    int at = help.indexOf("--reactors=N", help.indexOf("Options:"));
    assertThat(at).as("--reactors in the option list").isPositive();
    assertThat(help.substring(at, Math.min(help.length(), at + 400)))
        .contains("default: the number of available processors")
        .contains("1 serves on one thread");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "get | --timeout=SECONDS | 0, the default, means no limit",
        "proxy | --ttl=DURATION | 0 caches nothing",
        "proxy | --max-cached-size=SIZE | A larger one is served, but each proxy fetches",
        "serve | --num-bytes=N | needs --delay",
        "get | --xform=NAME | needs --xform-server",
        "get | --xform-server=ADDR | needs --xform"
      })
  void theHelpSaysWhatAnOptionAcceptsAndWhatZeroMeans(String command, String option, String says) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command.strip(), "--help")).isZero();
    String help = t.out.text().replaceAll("\\s+", " ");
    assertThat(help).contains(option.strip());
    int at = help.indexOf(option.strip(), help.indexOf("Options:"));
    assertThat(at).as("%s in the option list", option).isPositive();
    String after = help.substring(at);
    assertThat(after.substring(0, Math.min(after.length(), 400))).contains(says.strip());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "transform-server | 99,999 bytes | not UTF-8 is refused, never altered",
        "transform-proxy | 99,999 bytes | must be UTF-8",
        "get | 99,999 bytes | a poem that is not UTF-8",
        "get | --max-poem-size=SIZE | (default: 64M)",
        "serve | --max-connections=N | and logged, at most one line every 10 seconds"
      })
  void theHelpStatesTheLimitsUsersHit(String command, String limit, String says) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command.strip(), "--help")).isZero();
    String help = t.out.text().replaceAll("\\s+", " ");
    assertThat(help).contains(limit.strip()).contains(says.strip());
  }

  @Test
  void versionIsPrintedFromTheVersionTheBuildWrote() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("--version")).isZero();
    assertThat(t.out.text()).matches("poetry \\(Braid\\) \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
    assertThat(t.err.text()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"serve", "transform-server", "get", "proxy", "transform-proxy", "demo"})
  void everyCommandPrintsTheSameVersion(String command) {
    TestEnv top = TestEnv.redirected();
    top.run("--version");
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(command, "--version")).isZero();
    assertThat(t.out.text()).isEqualTo(top.out.text());
  }
}
