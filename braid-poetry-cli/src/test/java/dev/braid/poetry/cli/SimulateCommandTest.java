package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.poetry.ProxyService;
import dev.braid.poetry.sim.PoetrySimulation;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;
import picocli.CommandLine;

/** {@code poetry simulate}: many seeds, one seed with its trace, and its usage errors. */
class SimulateCommandTest {
  @BeforeEach
  void proxiesWarnOfFailedFetches(LogCapture logs) {
    logs.allow(Level.WARN, ProxyService.class, "");
  }

  @Test
  void manySeedsEndWithTheCountOfFailedRuns() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("simulate", "--seeds", "20", "--from", "100")).isZero();
    assertThat(t.out.text()).endsWith("simulated 20 runs: 0 failed\n").contains(" clients: ");
    assertThat(t.err.text()).isEmpty();
  }

  @Test
  void oneSeedWritesTheSameTraceEveryTime(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("first.txt");
    Path second = dir.resolve("second.txt");
    TestEnv a = TestEnv.redirected();
    assertThat(a.run("simulate", "--seed", "42", "--trace", first.toString())).isZero();
    TestEnv b = TestEnv.redirected();
    assertThat(b.run("simulate", "--seed", "42", "--trace", second.toString())).isZero();
    assertThat(a.out.text()).startsWith("seed 42 passed: ").endsWith("simulated 1 run: 0 failed\n");
    assertThat(b.out.text()).isEqualTo(a.out.text());
    byte[] trace = Files.readAllBytes(first);
    assertThat(new String(trace, java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("0.000000 sim seed 42\n")
        .contains(" conn 1 accepted on ");
    assertThat(Files.readAllBytes(second)).isEqualTo(trace);
  }

  @Test
  void aFailedRunPrintsItsSeedAndHowToReplayItAndExitsWithOne() {
    TestEnv t = TestEnv.redirected();
    CommandLine cl = Cli.commandLine(t.env());
    SimulateCommand command = cl.getSubcommands().get("simulate").getCommand();
    // A proxy that closes every client's connection at once, cleanly: an empty poem.
    command.simulation =
        PoetrySimulation.standard()
            .withProxyFactory(
                service ->
                    address ->
                        new BaseProtocol() {
                          @Override
                          protected void connectionMade() {
                            transport().loseConnection();
                          }
                        });
    assertThat(cl.execute("simulate", "--seeds", "3")).isEqualTo(1);
    assertThat(t.out.text())
        .contains("seed 1 failed at ", "a cut poem as a success: the first 0 of ")
        .contains("  replay: poetry simulate --seed 1 --trace trace.txt")
        .endsWith("simulated 3 runs: 3 failed\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "simulate | poetry simulate: give either --seeds N or --seed S (see 'poetry simulate"
            + " --help')",
        "simulate --seeds 2 --seed 1 | poetry simulate: give either --seeds N or --seed S (see"
            + " 'poetry simulate --help')",
        "simulate --seeds 2 --trace t.txt | poetry simulate: --trace needs --seed: it writes the"
            + " trace of one run (see 'poetry simulate --help')",
        "simulate --seeds 0 | poetry simulate: invalid number '0': expected 1 or more (see"
            + " 'poetry simulate --help')",
        "simulate --seed x | poetry simulate: invalid seed 'x': expected a whole number (64"
            + " bits) (see 'poetry simulate --help')",
        "simulate --seeds 2 --from 1.5 | poetry simulate: invalid seed '1.5': expected a whole"
            + " number (64 bits) (see 'poetry simulate --help')",
      })
  void usageErrorsAreOneLineAndStatusTwo(String args, String message) {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run(args.split(" "))).isEqualTo(2);
    assertThat(t.err.text()).isEqualTo(message + "\n");
    assertThat(t.out.text()).isEmpty();
  }

  @Test
  void helpSaysWhatItChecks() {
    TestEnv t = TestEnv.redirected();
    assertThat(t.run("simulate", "--help")).isZero();
    assertThat(t.out.text())
        .contains("--seeds", "--seed", "--trace", "cut poem", "poetry simulate --seeds 1000");
  }
}
