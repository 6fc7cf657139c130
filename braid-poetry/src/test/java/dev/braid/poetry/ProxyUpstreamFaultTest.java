package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.defer.Deferreds;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.Slack;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import dev.braid.test.DeferredTimeout;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, item 8: the caching proxy in front of an upstream server reached through a {@link
 * FaultyRelay}, over many seeded runs, each with its own fault (a reset or a clean close after some
 * bytes, a hang, latency, tiny chunks), its own proxy and its own clients: some in-process waiters
 * of the {@link ProxyService}, some of which cancel, and one real client over TCP.
 *
 * <p>What must hold in every run: every waiter receives the whole poem or a failure (the clean
 * close after N bytes is the protocol's known limit: every waiter then receives the same first N
 * bytes); what the proxy holds at the end is the whole poem after a pass, latency or tiny chunks,
 * nothing after a reset or a hang, and after a clean close the same first N bytes (nothing when N
 * is 0); a hang fails the waiters at the upstream timeout (not before it; later only by the
 * machine's load, {@link Slack}); the flight, the relay's connections and every timer are gone at
 * the end; the proxy warns of each failed fetch and empty poem, and of nothing else.
 *
 * <p>Runs: {@code -Dbraid.faults.runs} (default 1,000, 15 to 20 s here), 50 at a time; seed: {@code
 * -Dbraid.faults.seed} (default: random, printed), which replays a run exactly on the fault side
 * (timing on real sockets may still differ).
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class ProxyUpstreamFaultTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();

  /**
   * The proxy's upstream timeout in the runs whose upstream hangs (the CLI's default is 30 s); the
   * other runs have {@link #GENEROUS_TIMEOUT}, so that a slow fault on a busy reactor (901 one-byte
   * pieces, one per turn of a loop that serves 50 runs) is not mistaken for a hang.
   */
  static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(250);

  static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(60);

  /** How late after the upstream timeout a hung fetch may fail, for a loaded machine. */
  static final double TIMEOUT_SLACK_SECONDS = Slack.SECONDS;

  static final int RUNS = Integer.getInteger("braid.faults.runs", 1000);
  static final int BATCH = 50;

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
      int index,
      Fault fault,
      List<Outcome<byte[]>> waiters,
      List<Boolean> cancelled,
      Outcome<byte[]> tcpClient,
      byte[] cached,
      double seconds) {}

  @Test
  @DeferredTimeout(300)
  void everyWaiterGetsTheWholePoemOrAFailureAndNoResetOrHangIsCached(
      Reactor reactor, AfterTest afterTest, LogCapture logs) {
    long seed = Long.getLong("braid.faults.seed", new Random().nextLong());
    System.out.println("ProxyUpstreamFaultTest: " + RUNS + " runs, -Dbraid.faults.seed=" + seed);
    ListeningPort upstream =
        reactor.listenTCP(
            0,
            PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), reactor),
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    int upstreamPort = upstream.getHost().getPort();
    Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
    int[] emptyCloses = {0}; // runs whose upstream closed cleanly before the first byte
    double[] slowestHang = {0};
    double start = reactor.seconds();
    afterTest.await(
        Async.run(
            () -> {
              for (int from = 0; from < RUNS; from += BATCH) {
                List<Deferred<Run>> batch = new ArrayList<>();
                for (int i = from; i < Math.min(RUNS, from + BATCH); i++) {
                  batch.add(run(reactor, upstreamPort, i, seed));
                }
                for (Deferred<Run> d : batch) {
                  Run run = Async.await(d);
                  check(run, seed);
                  counts.merge(kind(run.fault()), 1, Integer::sum);
                  if (run.fault() instanceof Fault.CloseAfter(long n) && n == 0) {
                    emptyCloses[0]++;
                  }
                  if (run.fault() instanceof Fault.HangAfter) {
                    slowestHang[0] = Math.max(slowestHang[0], run.seconds());
                  }
                }
              }
              Async.await(upstream.stopListening());
              System.out.printf(
                  "ProxyUpstreamFaultTest: %d runs in %.1f s, faults %s, slowest hung run %.3f s"
                      + " (upstream timeout %.3f s)%n",
                  RUNS,
                  reactor.seconds() - start,
                  counts,
                  slowestHang[0],
                  UPSTREAM_TIMEOUT.toMillis() / 1000.0);
              assertThat(counts).as("every kind of fault was tried").hasSize(Kind.values().length);
              checkWarnings(
                  ProxyLog.warnings(logs),
                  counts.getOrDefault(Kind.RESET, 0) + counts.getOrDefault(Kind.HANG, 0),
                  emptyCloses[0],
                  seed);
              return null;
            }));
  }

  /** One run: a relay with one fault, a proxy, its waiters; fires once all is closed. */
  private static Deferred<Run> run(Reactor reactor, int upstreamPort, int index, long seed) {
    Random random = new Random(seed + index);
    Fault chosen = Fault.random(random, POEM.length, Duration.ofMillis(40));
    Duration timeout = chosen instanceof Fault.HangAfter ? UPSTREAM_TIMEOUT : GENEROUS_TIMEOUT;
    int inProcess = 1 + random.nextInt(6);
    List<Boolean> cancels = new ArrayList<>();
    List<Double> cancelAt = new ArrayList<>();
    for (int i = 0; i < inProcess; i++) {
      boolean cancel = random.nextInt(8) == 0;
      cancels.add(cancel);
      cancelAt.add(random.nextDouble() * 0.05);
    }
    boolean lateJoiner = random.nextBoolean();
    double lateAt = random.nextDouble() * 0.05;
    return Async.run(
        () -> {
          double start = reactor.seconds();
          FaultyRelay relay =
              FaultyRelay.start(reactor, reactor, "127.0.0.1", upstreamPort, n -> chosen);
          ProxyService service =
              ProxyService.create(
                  reactor,
                  PoetryClient.upstream(reactor, "127.0.0.1", relay.port())
                      .withTimeout(timeout, reactor),
                  Duration.ofHours(2));
          ListeningPort proxy =
              reactor.listenTCP(
                  0, PoetryProxyFactory.create(service), ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
          List<Deferred<byte[]>> waiters = new ArrayList<>();
          List<Deferred<Outcome<byte[]>>> outcomes = new ArrayList<>();
          List<Deferred<Object>> timers = new ArrayList<>();
          for (int i = 0; i < inProcess; i++) {
            Deferred<byte[]> w = service.getPoem();
            waiters.add(w);
            outcomes.add(outcomeOf(w));
            if (cancels.get(i)) {
              timers.add(
                  Deferreds.deferLater(reactor, cancelAt.get(i), () -> null)
                      .addCallback(
                          x -> {
                            w.cancel();
                            return null;
                          }));
            }
          }
          Deferred<Outcome<byte[]>> tcp =
              outcomeOf(PoetryClient.fetch(reactor, "127.0.0.1", proxy.getHost().getPort(), null));
          if (lateJoiner) {
            cancels.add(false);
            outcomes.add(
                Deferreds.deferLater(reactor, lateAt, () -> null)
                    .addCallbackDeferred(x -> outcomeOf(service.getPoem())));
          }
          List<Outcome<byte[]>> results = new ArrayList<>();
          for (Deferred<Outcome<byte[]>> o : outcomes) {
            results.add(Async.await(o));
          }
          Outcome<byte[]> tcpResult = Async.await(tcp);
          for (Deferred<Object> t : timers) {
            Async.await(t);
          }
          double seconds = reactor.seconds() - start;
          byte[] cached = service.isCached() ? Async.await(service.getPoem()) : null;
          assertThat(service.isFetching())
              .as("run %d (seed %d): a flight left", index, seed)
              .isFalse();
          Async.await(relay.stop());
          Async.await(proxy.stopListening());
          assertThat(relay.openCount())
              .as("run %d (seed %d): relayed connections left", index, seed)
              .isZero();
          return new Run(index, chosen, results, cancels, tcpResult, cached, seconds);
        });
  }

  private static <T> Deferred<Outcome<T>> outcomeOf(Deferred<T> d) {
    return d.addBoth(outcome -> outcome);
  }

  private static void check(Run run, long seed) {
    String where = "run " + run.index() + " (seed " + seed + ", " + run.fault() + ")";
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
    // What the proxy holds once the run is over, after every fault. The TCP client never
    // cancels, so some fetch always lasts until the upstream's fault ends it.
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
    if (kind == Kind.HANG) {
      assertThat(run.seconds())
          .as("%s: bounded by the upstream timeout", where)
          .isGreaterThanOrEqualTo(UPSTREAM_TIMEOUT.toMillis() / 1000.0 - 0.001)
          .isLessThan(UPSTREAM_TIMEOUT.toMillis() / 1000.0 + TIMEOUT_SLACK_SECONDS);
    }
  }

  /**
   * The proxy's warnings over all runs: one or more per run whose fetches failed (a run may start a
   * second flight for a client that came after the first failed), one or more "empty poem" per run
   * whose upstream closed before the first byte, and nothing else.
   */
  private static void checkWarnings(
      List<String> warnings, int failingRuns, int emptyRuns, long seed) {
    long failed = warnings.stream().filter(m -> m.startsWith(ProxyLog.FETCH_FAILED)).count();
    long empty = warnings.stream().filter(m -> m.equals(EMPTY_POEM_WARNING)).count();
    assertThat(failed + empty)
        .as("seed %d: the proxy warns only of failed fetches and empty poems: %s", seed, warnings)
        .isEqualTo(warnings.size());
    assertThat(failed)
        .as("seed %d: failed fetches warned of, for %d failing runs", seed, failingRuns)
        .isBetween((long) failingRuns, 3L * failingRuns);
    assertThat(empty)
        .as("seed %d: empty poems warned of, for %d runs closed at once", seed, emptyRuns)
        .isBetween((long) emptyRuns, 3L * emptyRuns);
  }

  private static Throwable failureOf(Outcome<byte[]> o, String where) {
    assertThat(o).as("%s: a failure", where).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<byte[]>) o).failure().value();
  }
}
