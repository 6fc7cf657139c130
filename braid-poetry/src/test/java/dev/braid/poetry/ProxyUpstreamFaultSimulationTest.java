package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionLost;
import dev.braid.sim.SimHost;
import dev.braid.sim.Simulation;
import dev.braid.sim.SimulationResult;
import dev.braid.test.FaultyRelay;
import dev.braid.test.FaultyRelay.Fault;
import dev.braid.test.log.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The caching proxy in front of an upstream server reached through a {@link FaultyRelay}, over many
 * seeded runs, each with its own fault (a reset or a clean close after some bytes, a hang, latency,
 * tiny chunks), its own proxy and its own clients: some in-process waiters of the {@link
 * ProxyService}, some of which cancel, and one client over TCP. Each run is a {@link Simulation}:
 * the upstream server, the relay (the test kit's own, unchanged), the proxy and the client are
 * hosts on virtual time, so a run takes no wall-clock time and every timing is exact.
 *
 * <p>What must hold in every run: every waiter receives the whole poem or a failure (the clean
 * close after N bytes is the protocol's known limit: every waiter then receives the same first N
 * bytes); what the proxy holds at the end is the whole poem after a pass, latency or tiny chunks,
 * nothing after a reset or a hang, and after a clean close the same first N bytes (nothing when N
 * is 0); a hang fails the waiters exactly at the upstream timeout; the flight, the relay's
 * connections and every timer are gone at the end, nothing is left pending or unhandled (the
 * simulation's own checks); the proxy warns of each failed fetch and empty poem, and of nothing
 * else.
 *
 * <p>Runs: {@code -Dbraid.faults.runs} (default 1,000); seeds from {@code -Dbraid.faults.seed}
 * (default 1), each run's own seed the base plus its index, which replays it exactly.
 */
class ProxyUpstreamFaultSimulationTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();

  /** The proxy's upstream timeout in the runs whose upstream hangs. */
  static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(250);

  /** The other runs' upstream timeout: longer than any slow fault takes. */
  static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(60);

  static final int RUNS = Integer.getInteger("braid.faults.runs", 1000);
  static final long SEED = Long.getLong("braid.faults.seed", 1);

  static final String EMPTY_POEM_WARNING = "The server sent an empty poem; not caching it.";

  enum Kind {
    PASS,
    RESET,
    CLOSE,
    HANG,
    LATENCY,
    TINY
  }

  static Kind kind(Fault f) {
    return switch (f) {
      case Fault.Pass p -> Kind.PASS;
      case Fault.ResetAfter r -> Kind.RESET;
      case Fault.CloseAfter c -> Kind.CLOSE;
      case Fault.HangAfter h -> Kind.HANG;
      case Fault.Latency l -> Kind.LATENCY;
      case Fault.TinyChunks t -> Kind.TINY;
    };
  }

  /** What one run saw. */
  record Run(
      long seed,
      Fault fault,
      List<Outcome<byte[]>> waiters,
      List<Boolean> cancelled,
      List<Double> endedAt,
      Outcome<byte[]> tcpClient,
      byte[] cached,
      SimulationResult result) {}

  @Test
  void everyWaiterGetsTheWholePoemOrAFailureAndNoResetOrHangIsCached(LogCapture logs) {
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    int failingRuns = 0;
    int emptyRuns = 0;
    for (int i = 0; i < RUNS; i++) {
      Run run = run(SEED + i);
      check(run);
      Kind kind = kind(run.fault());
      counts.merge(kind, 1, Integer::sum);
      if (kind == Kind.RESET || kind == Kind.HANG) {
        failingRuns++;
      }
      if (run.fault() instanceof Fault.CloseAfter(long n) && n == 0) {
        emptyRuns++;
      }
    }
    System.out.printf(
        "ProxyUpstreamFaultSimulationTest: %d runs from seed %d, faults %s%n", RUNS, SEED, counts);
    assertThat(counts).as("every kind of fault was tried").hasSize(Kind.values().length);
    checkWarnings(ProxyLog.warnings(logs), failingRuns, emptyRuns);
  }

  /** One run: a relay with one fault, a proxy, its waiters and a client, to the end. */
  static Run run(long seed) {
    Random random = new Random(seed);
    Fault chosen = Fault.random(random, POEM.length, Duration.ofMillis(40));
    Duration timeout = chosen instanceof Fault.HangAfter ? UPSTREAM_TIMEOUT : GENEROUS_TIMEOUT;
    Simulation sim =
        Simulation.builder(seed)
            .replay(s -> "-Dbraid.faults.seed=" + s + " -Dbraid.faults.runs=1")
            .build();
    SimHost upstream = sim.addHost("upstream");
    upstream.listenTCP(
        10000, PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), upstream));
    SimHost relayHost = sim.addHost("relay");
    FaultyRelay relay = FaultyRelay.start(relayHost, relayHost, "upstream", 10000, n -> chosen);
    SimHost proxy = sim.addHost("proxy");
    ProxyService service =
        ProxyService.create(
            proxy,
            PoetryClient.upstream(proxy, "relay", relay.port()).withTimeout(timeout, proxy),
            Duration.ofHours(2));
    proxy.listenTCP(10000, PoetryProxyFactory.create(service));

    List<Outcome<byte[]>> outcomes = new ArrayList<>();
    List<Double> endedAt = new ArrayList<>();
    List<Boolean> cancels = new ArrayList<>();
    int inProcess = 1 + random.nextInt(6);
    for (int i = 0; i < inProcess; i++) {
      boolean cancel = random.nextInt(8) == 0;
      double cancelAt = random.nextDouble() * 0.05;
      cancels.add(cancel);
      Deferred<byte[]> w = proxy.track("waiter " + i, service.getPoem());
      watch(sim, w, outcomes, endedAt);
      if (cancel) {
        proxy.callLater(cancelAt, w::cancel);
      }
    }
    boolean lateJoiner = random.nextBoolean();
    double lateAt = random.nextDouble() * 0.05;
    if (lateJoiner) {
      cancels.add(false);
      int index = outcomes.size();
      outcomes.add(null);
      endedAt.add(null);
      proxy.callLater(
          lateAt,
          () ->
              proxy
                  .track("late waiter", service.getPoem())
                  .addBoth(
                      o -> {
                        outcomes.set(index, o);
                        endedAt.set(index, sim.seconds());
                        return null;
                      }));
    }
    SimHost client = sim.addHost("client");
    List<Outcome<byte[]>> tcp = new ArrayList<>();
    client
        .track("tcp client", PoetryClient.fetch(client, "proxy", 10000, null))
        .addBoth(
            o -> {
              tcp.add(o);
              return null;
            });

    sim.runUntil(
        () -> !tcp.isEmpty() && !outcomes.contains(null) && outcomes.size() == cancels.size(),
        Duration.ofMinutes(10));
    byte[] cached = null;
    if (service.isCached()) {
      List<byte[]> c = new ArrayList<>();
      service.getPoem().addCallback(c::add);
      cached = c.get(0);
    }
    sim.invariant("no flight is left", () -> !service.isFetching());
    relay.stop().addCallback(v -> null);
    SimulationResult result = sim.run();
    return new Run(
        seed,
        chosen,
        outcomes,
        cancels,
        endedAt,
        tcp.isEmpty() ? null : tcp.get(0),
        cached,
        result);
  }

  private static void watch(
      Simulation sim, Deferred<byte[]> w, List<Outcome<byte[]>> outcomes, List<Double> endedAt) {
    int index = outcomes.size();
    outcomes.add(null);
    endedAt.add(null);
    w.addBoth(
        o -> {
          outcomes.set(index, o);
          endedAt.set(index, sim.seconds());
          return null;
        });
  }

  private static void check(Run run) {
    String where = run.result().replayCommand() + " (" + run.fault() + ")";
    run.result().assertPassed();
    Kind kind = kind(run.fault());
    List<Outcome<byte[]>> all = new ArrayList<>(run.waiters());
    for (int i = 0; i < all.size(); i++) {
      Outcome<byte[]> o = all.get(i);
      if (o instanceof Outcome.Failed<byte[]>(var failure)
          && failure.check(CancelledException.class) != null) {
        assertThat(run.cancelled().get(i))
            .as("%s: only a waiter that cancelled is cancelled", where)
            .isTrue();
        all.set(i, null);
      } else if (kind == Kind.HANG) {
        assertThat(run.endedAt().get(i))
            .as("%s: a hang ends exactly at the upstream timeout", where)
            .isEqualTo(UPSTREAM_TIMEOUT.toMillis() / 1000.0);
      }
    }
    all.add(run.tcpClient());
    for (Outcome<byte[]> o : all) {
      if (o == null) {
        continue;
      }
      switch (kind) {
        case PASS, LATENCY, TINY ->
            assertThat(o).as("%s: the whole poem", where).isInstanceOf(Outcome.Success.class);
        case RESET ->
            assertThat(failureOf(o, where))
                .as("%s: a reset is a failure", where)
                .isInstanceOf(ConnectionLost.class);
        case HANG -> {
          Throwable t = failureOf(o, where);
          if (o != run.tcpClient()) {
            assertThat(t)
                .as("%s: a hang ends at the upstream timeout", where)
                .isInstanceOf(DeferredTimeoutException.class);
          } else {
            assertThat(t)
                .as("%s: the proxy resets its client", where)
                .isInstanceOf(ConnectionLost.class);
          }
        }
        case CLOSE -> {
          // The known limit: a clean close after N bytes looks like a short poem.
          long n = ((Fault.CloseAfter) run.fault()).bytes();
          assertThat(o).as("%s", where).isInstanceOf(Outcome.Success.class);
          assertThat(((Outcome.Success<byte[]>) o).value())
              .as("%s: every waiter gets the same first N bytes", where)
              .isEqualTo(Arrays.copyOf(POEM, (int) n));
        }
      }
      if (o instanceof Outcome.Success<byte[]>(byte[] poem) && kind != Kind.CLOSE) {
        assertThat(poem).as("%s: whole", where).isEqualTo(POEM);
      }
    }
    switch (kind) {
      case RESET, HANG -> assertThat(run.cached()).as("%s: nothing cached", where).isNull();
      case PASS, LATENCY, TINY ->
          assertThat(run.cached()).as("%s: the whole poem cached", where).isEqualTo(POEM);
      case CLOSE -> {
        long n = ((Fault.CloseAfter) run.fault()).bytes();
        if (n == 0) {
          assertThat(run.cached()).as("%s: an empty poem is not cached", where).isNull();
        } else {
          assertThat(run.cached())
              .as("%s: the known limit, the first N bytes cached as the poem", where)
              .isEqualTo(Arrays.copyOf(POEM, (int) n));
        }
      }
    }
  }

  /**
   * The proxy's warnings over all runs: one or more per run whose fetches failed (a run may start a
   * second flight for a client that came after the first failed), one or more "empty poem" per run
   * whose upstream closed before the first byte, and nothing else.
   */
  private static void checkWarnings(List<String> warnings, int failingRuns, int emptyRuns) {
    long failed = warnings.stream().filter(m -> m.startsWith(ProxyLog.FETCH_FAILED)).count();
    long empty = warnings.stream().filter(m -> m.equals(EMPTY_POEM_WARNING)).count();
    assertThat(failed + empty)
        .as("the proxy warns only of failed fetches and empty poems: %s", warnings)
        .isEqualTo(warnings.size());
    assertThat(failed)
        .as("failed fetches warned of, for %d failing runs", failingRuns)
        .isBetween((long) failingRuns, 3L * failingRuns);
    assertThat(empty)
        .as("empty poems warned of, for %d runs closed at once", emptyRuns)
        .isBetween((long) emptyRuns, 3L * emptyRuns);
  }

  private static Throwable failureOf(Outcome<byte[]> o, String where) {
    assertThat(o).as("%s: a failure", where).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<byte[]>) o).failure().value();
  }
}
