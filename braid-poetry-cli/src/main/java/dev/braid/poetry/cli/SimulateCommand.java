package dev.braid.poetry.cli;

import dev.braid.poetry.sim.PoetrySimulation;
import dev.braid.sim.SimulationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code poetry simulate}: the whole suite under seeded faults ({@link PoetrySimulation}). */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    header = "Simulate the whole poetry suite under seeded faults.",
    versionProvider = Version.class,
    description = {
      "Runs seeded simulations of a whole deployment: poetry servers (fast, slow, one with a long"
          + " poem), a transform server, two caching proxies and many clients with transforms and"
          + " timeouts, on one virtual clock and an in-memory network with faults (latency, split"
          + " reads, resets, hangs, partitions, crashes, restarts). No real socket, no waiting: a"
          + " run takes milliseconds.",
      "After each run it checks that every client got its exact poem (or its exact transform, or"
          + " the exact poem after a failed transform) or a failure, never a cut poem; that no"
          + " proxy cached a cut poem or fetched a poem twice while it was cached or in flight;"
          + " and that nothing was left pending, unhandled or open. A failed run prints its seed,"
          + " what broke and the command that replays it; the same seed always runs the same way.",
      "Exit status: 0 if every run passed, 1 if one failed, 2 for a usage error."
    },
    footer = {
      "",
      "Examples:",
      "  poetry simulate --seeds 1000",
      "  poetry simulate --seeds 1000 --from 50000",
      "  poetry simulate --seed 42 --trace trace.txt"
    })
final class SimulateCommand implements Callable<Integer> {
  @ParentCommand PoetryCommand parent;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      converter = Converters.PositiveInt.class,
      description = "Run N simulations, with the seeds FROM to FROM + N - 1.")
  Integer seeds;

  @Option(
      names = "--from",
      paramLabel = "FROM",
      defaultValue = "1",
      converter = SeedConverter.class,
      description = "The first seed of --seeds (default: ${DEFAULT-VALUE}).")
  long from;

  @Option(
      names = "--seed",
      paramLabel = "S",
      converter = SeedConverter.class,
      description = "Run the simulation of seed S alone.")
  Long seed;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "With --seed: write the run's trace to FILE, one line per event (the same bytes for the"
              + " same seed).")
  Path trace;

  /** What runs; a test may swap in a variant (a planted bug) to see a run fail. */
  PoetrySimulation simulation = PoetrySimulation.standard();

  @Override
  public Integer call() {
    Env env = parent.env;
    if ((seeds == null) == (seed == null)) {
      return usage(env, "give either --seeds N or --seed S");
    }
    if (trace != null && seed == null) {
      return usage(env, "--trace needs --seed: it writes the trace of one run");
    }
    if (seed != null) {
      PoetrySimulation.Run run = simulation.run(seed, trace != null);
      SimulationResult result = run.result();
      if (trace != null) {
        try {
          result.trace().write(trace);
        } catch (IOException e) {
          env.err().println("poetry simulate: cannot write the trace: " + e.getMessage());
          return Cli.FAILED;
        }
      }
      env.out().println(result.report());
      env.out().println(run.tally());
      env.out().println("simulated 1 run: " + (result.passed() ? 0 : 1) + " failed");
      return result.passed() ? Cli.OK : Cli.FAILED;
    }
    PoetrySimulation.Many many =
        simulation.runMany(from, seeds, failed -> env.out().println(failed.report()));
    env.out().println(many.tally());
    env.out().println(many.summary());
    return many.summary().passed() ? Cli.OK : Cli.FAILED;
  }

  /** A seed: any whole number that fits in 64 bits. */
  static final class SeedConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "invalid seed '" + value + "': expected a whole number (64 bits)");
      }
    }
  }

  private static int usage(Env env, String message) {
    env.err().println("poetry simulate: " + message + " (see 'poetry simulate --help')");
    return Cli.USAGE;
  }
}
