package dev.braid.poetry.sim;

import dev.braid.net.Factory;
import dev.braid.poetry.PoetryProxyFactory;
import dev.braid.poetry.ProxyService;
import dev.braid.sim.Faults;
import dev.braid.sim.Seeds;
import dev.braid.sim.Simulation;
import dev.braid.sim.SimulationResult;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The whole poetry suite, simulated: one seed is one deployment of poetry servers (fast, slow, and
 * one with a long poem), a transform server, two caching proxies and many clients with transforms
 * and timeouts, on a {@link Simulation} whose network and hosts fail as {@link Faults} say. Every
 * server is the library's own (factories, services, {@code ConnectionDrain}, idle timeouts), set up
 * as the {@code poetry} commands set them up; only the network and the clock are simulated.
 *
 * <h2>What is checked after each run</h2>
 *
 * <ul>
 *   <li>Every client gets its exact poem (or the exact transform of it, or the exact poem after a
 *       failed transform) or a failure: never a cut poem as a success.
 *   <li>A proxy never caches a cut poem; it fetches from upstream once per cold poem (never two
 *       fetches at once, never again while a whole poem is cached); when the clients are done, no
 *       fetch is left in flight.
 *   <li>No tracked Deferred is left pending, no failed Deferred unhandled, no connection left open,
 *       no exception thrown by the servers' or clients' code ({@link Simulation}'s own checks).
 * </ul>
 *
 * <p>Known limit (the poetry protocol's, see the design): a clean close in the middle of a poem
 * cannot be told from its end, so by default the network closes cleanly only the transform server's
 * connections (whose netstrings can tell); {@link #withCleanCutsOnPoetry()} cuts poems cleanly too,
 * and then the checks fail, as they should.
 *
 * <pre>{@code
 * PoetrySimulation.Run run = PoetrySimulation.standard().run(42, false);
 * run.result().assertPassed();
 * }</pre>
 *
 * <p>Immutable; each {@code with} method returns a copy. Threading: a run belongs to the calling
 * thread.
 */
public final class PoetrySimulation {
  /** How to replay a seed from the command line. */
  public static final String REPLAY = "poetry simulate --seed %d --trace trace.txt";

  private final Faults faults;
  private final Faults transformFaults;
  private final boolean cleanCutsOnPoetry;
  private final Function<? super ProxyService, ? extends Factory> proxyFactory;
  private final LongFunction<String> replay;

  private PoetrySimulation(
      Faults faults,
      Faults transformFaults,
      boolean cleanCutsOnPoetry,
      Function<? super ProxyService, ? extends Factory> proxyFactory,
      LongFunction<String> replay) {
    this.faults = faults;
    this.transformFaults = transformFaults;
    this.cleanCutsOnPoetry = cleanCutsOnPoetry;
    this.proxyFactory = proxyFactory;
    this.replay = replay;
  }

  /**
   * {@return the deployment with {@link Faults#standard()} (and 5% clean closes on the transform
   * server's connections) and the library's proxy, replayed with {@code poetry simulate --seed SEED
   * --trace trace.txt}}
   */
  public static PoetrySimulation standard() {
    return new PoetrySimulation(
        Faults.standard(),
        Faults.standard().withCleanCloses(0.05),
        false,
        PoetryProxyFactory::create,
        s -> String.format(REPLAY, s));
  }

  /**
   * Uses other faults, the same for every connection.
   *
   * @param newFaults what can go wrong
   * @return a copy
   */
  public PoetrySimulation withFaults(Faults newFaults) {
    Objects.requireNonNull(newFaults, "faults");
    return new PoetrySimulation(newFaults, newFaults, cleanCutsOnPoetry, proxyFactory, replay);
  }

  /**
   * Cuts poems cleanly too (5% of connections): the poetry protocol's known limit, which the checks
   * then find.
   *
   * @return a copy
   */
  public PoetrySimulation withCleanCutsOnPoetry() {
    return new PoetrySimulation(faults, transformFaults, true, proxyFactory, replay);
  }

  /**
   * Builds the proxies' protocols with {@code factory} instead of {@link PoetryProxyFactory}: to
   * simulate a variant of the proxy, such as one with a bug planted by a test.
   *
   * @param factory makes a proxy's factory from its service
   * @return a copy
   */
  public PoetrySimulation withProxyFactory(
      Function<? super ProxyService, ? extends Factory> factory) {
    return new PoetrySimulation(
        faults,
        transformFaults,
        cleanCutsOnPoetry,
        Objects.requireNonNull(factory, "factory"),
        replay);
  }

  /**
   * Says how a failed run is replayed, for its report.
   *
   * @param command the command line for a seed
   * @return a copy
   */
  public PoetrySimulation withReplay(LongFunction<String> command) {
    return new PoetrySimulation(
        faults,
        transformFaults,
        cleanCutsOnPoetry,
        proxyFactory,
        Objects.requireNonNull(command, "command"));
  }

  /**
   * How the clients of one run, or of many, fared.
   *
   * @param clients how many clients ran
   * @param poems how many got their poem, untransformed as they asked
   * @param transformed how many got their poem transformed
   * @param originals how many asked for a transform that failed and got the original poem
   * @param failures how many got a failure
   */
  public record Tally(long clients, long poems, long transformed, long originals, long failures) {
    /** {@return nothing yet} */
    public static Tally zero() {
      return new Tally(0, 0, 0, 0, 0);
    }

    /**
     * {@return this and {@code other} added up}
     *
     * @param other another tally
     */
    public Tally plus(Tally other) {
      return new Tally(
          clients + other.clients,
          poems + other.poems,
          transformed + other.transformed,
          originals + other.originals,
          failures + other.failures);
    }

    /** {@return e.g. "120 clients: 80 poems, 20 transformed, 5 originals, 15 failures"} */
    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%,d clients: %,d poems, %,d transformed, %,d originals after a failed transform, %,d"
              + " failures",
          clients,
          poems,
          transformed,
          originals,
          failures);
    }
  }

  /**
   * One run.
   *
   * @param result what the simulation found
   * @param tally how the clients fared
   */
  public record Run(SimulationResult result, Tally tally) {}

  /**
   * Runs the deployment of one seed.
   *
   * @param seed the seed
   * @param trace true to record the run's {@link dev.braid.sim.Trace}
   * @return the run
   */
  public Run run(long seed, boolean trace) {
    Faults poetryFaults = cleanCutsOnPoetry ? faults.withCleanCloses(0.05) : faults;
    Simulation sim =
        Simulation.builder(seed)
            .faults(poetryFaults)
            .faultsTo(Deployment.XFORM_HOST, Deployment.XFORM_PORT, transformFaults)
            .trace(trace)
            .replay(replay)
            .build();
    Deployment d = new Deployment(sim, proxyFactory);
    d.build();
    SimulationResult result = sim.run();
    return new Run(result, d.tally());
  }

  /**
   * Runs {@code count} seeds from {@code first}, without traces.
   *
   * @param first the first seed
   * @param count how many
   * @param onFailure told of each failed run as it fails
   * @return the summary, and the clients' tally over every run
   */
  public Many runMany(long first, int count, Consumer<? super SimulationResult> onFailure) {
    Tally[] tally = {Tally.zero()};
    Seeds.Summary summary =
        Seeds.run(
            first,
            count,
            seed -> {
              Run r = run(seed, false);
              tally[0] = tally[0].plus(r.tally());
              return r.result();
            },
            onFailure);
    return new Many(summary, tally[0]);
  }

  /**
   * Many runs.
   *
   * @param summary which failed
   * @param tally how the clients fared, over every run
   */
  public record Many(Seeds.Summary summary, Tally tally) {}
}
