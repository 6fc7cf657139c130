package dev.braid.poetry.sim;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.Factory;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.ProxyService;
import dev.braid.poetry.TransformException;
import dev.braid.poetry.TransformProxy;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.protocols.ConnectionDrain;
import dev.braid.protocols.Policies;
import dev.braid.sim.SimHost;
import dev.braid.sim.Simulation;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * One seed's deployment of the poetry suite on a simulation: its hosts, its services as the
 * commands set them up, its clients, and the checks. Threading: the simulation's thread.
 */
final class Deployment {
  static final int POETRY_PORT = 10000;
  static final String XFORM_HOST = "xform";
  static final int XFORM_PORT = 10001;

  /** The transforms clients ask for: the server's own, and one it does not have. */
  static final List<String> TRANSFORMS =
      List.of("cummingsify", "shout", "reverse", "fail", "nonesuch");

  private static final TransformService LOCAL = TransformService.standard();

  /** The poems, read once: never changed (services copy them, checks only read them). */
  private static final byte[] REACTOR = Poems.named("the_reactor").bytes();

  private static final byte[] FLIGHT = Poems.named("single_flight").bytes();
  private static final byte[] EPIC = epic();

  /** Where clients get poems: a server's or a proxy's name, and the exact poem it serves. */
  private record Source(String host, byte[] poem) {}

  private final Simulation sim;
  private final RandomGenerator random;
  private final Function<? super ProxyService, ? extends Factory> proxyFactory;
  private final Map<String, Source> sources = new LinkedHashMap<>();
  private final List<ProxyWatch> proxies = new ArrayList<>();
  private long clients;
  private long poems;
  private long transformed;
  private long originals;
  private long failures;

  Deployment(Simulation sim, Function<? super ProxyService, ? extends Factory> proxyFactory) {
    this.sim = sim;
    this.random = sim.random();
    this.proxyFactory = proxyFactory;
  }

  PoetrySimulation.Tally tally() {
    return new PoetrySimulation.Tally(clients, poems, transformed, originals, failures);
  }

  void build() {
    poetryServer("fast-1", REACTOR, Pacing.atOnce());
    poetryServer("fast-2", EPIC, Pacing.atOnce());
    poetryServer(
        "slow-1",
        FLIGHT,
        Pacing.chunks(20 + random.nextInt(81), Duration.ofMillis(10 + random.nextInt(91))));
    transformServer();
    proxy("proxy-1", "slow-1", FLIGHT);
    proxy("proxy-2", "fast-2", EPIC);
    int count = 8 + random.nextInt(17);
    List<Source> all = List.copyOf(sources.values());
    for (int i = 1; i <= count; i++) {
      Source source = all.get(random.nextInt(all.size()));
      String xform =
          random.nextDouble() < 0.4 ? TRANSFORMS.get(random.nextInt(TRANSFORMS.size())) : null;
      Duration timeout = Duration.ofMillis(5000 + random.nextInt(25_000));
      double start = random.nextDouble() * 40;
      client("client-" + i, source, xform, timeout, start);
    }
    sim.afterRun(this::checkProxiesAtTheEnd);
  }

  /** The long poem: every bundled poem, ten times over (about 21 KB), so it is streamed. */
  static byte[] epic() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 10; i++) {
      for (Poems.Poem p : Poems.bundled()) {
        out.writeBytes(p.bytes());
      }
    }
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Servers, as the commands set them up: drained at shutdown, an idle timeout sometimes

  private void poetryServer(String name, byte[] poem, Pacing pacing) {
    Duration grace = Duration.ofMillis(random.nextInt(3000));
    Duration idle = random.nextBoolean() ? Duration.ofSeconds(5 + random.nextInt(20)) : null;
    PoetryService service = PoetryService.of(poem, pacing);
    sim.addHost(name)
        .boot(
            h -> {
              Factory f = PoetryServerFactory.create(service, h);
              listen(h, idle == null ? f : Policies.idleReset(f, h, idle), POETRY_PORT, grace);
            });
    sources.put(name, new Source(name, poem));
  }

  /**
   * The transform server, always with an idle timeout: it reads before it answers, so without one a
   * client that vanished behind a hang (whose reset never arrives) would hold its connection
   * forever; the simulation finds that at once.
   */
  private void transformServer() {
    Duration grace = Duration.ofMillis(random.nextInt(3000));
    Duration idle = Duration.ofSeconds(5 + random.nextInt(20));
    sim.addHost(XFORM_HOST)
        .boot(
            h ->
                listen(
                    h,
                    Policies.idleTimeout(TransformServerFactory.create(LOCAL), h, idle),
                    XFORM_PORT,
                    grace));
  }

  private void proxy(String name, String upstream, byte[] poem) {
    Duration grace = Duration.ofMillis(random.nextInt(3000));
    Duration idle = random.nextBoolean() ? Duration.ofSeconds(5 + random.nextInt(20)) : null;
    Duration ttl =
        random.nextBoolean()
            ? ProxyService.DEFAULT_TTL
            : Duration.ofSeconds(5 + random.nextInt(56));
    // Longer than the slow server takes (at most 901 bytes, 20 a piece, 0.1 s apart: 4.5 s).
    Duration upstreamTimeout = Duration.ofSeconds(5 + random.nextInt(10));
    sim.addHost(name)
        .boot(
            h -> {
              ProxyWatch watch = new ProxyWatch(h, poem, ttl);
              ProxyService service =
                  ProxyService.create(
                      h,
                      watch.watch(
                          PoetryClient.upstream(h, upstream, POETRY_PORT)
                              .withTimeout(upstreamTimeout, h)),
                      ttl);
              watch.service = service;
              proxies.add(watch);
              ConnectionDrain drain = listen(h, null, POETRY_PORT, grace);
              drain.whenGraceExpires(service::shutDown);
              Factory f = proxyFactory.apply(service);
              drain.addPort(
                  h.listenTCP(
                      POETRY_PORT, drain.track(idle == null ? f : Policies.idleReset(f, h, idle))));
            });
    sources.put(name, new Source(name, poem));
  }

  /** Installs a drain on {@code h}; listens with {@code factory} through it, if not null. */
  private static ConnectionDrain listen(SimHost h, Factory factory, int port, Duration grace) {
    ConnectionDrain drain = ConnectionDrain.create(h);
    if (factory != null) {
      drain.addPort(h.listenTCP(port, drain.track(factory)));
    }
    drain.installOn(h, grace);
    return drain;
  }

  // ---------------------------------------------------------------------------------------------
  // The proxies' checks

  /** One incarnation of a proxy: its service, and what its upstream fetches did. */
  private final class ProxyWatch {
    final SimHost host;
    final int incarnation;
    final byte[] poem;
    final double ttl;
    ProxyService service;
    int inFlight;
    double wholeAt = Double.NaN;

    ProxyWatch(SimHost host, byte[] poem, Duration ttl) {
      this.host = host;
      this.incarnation = host.incarnation();
      this.poem = poem;
      this.ttl = dev.braid.defer.Clock.toSeconds(ttl);
    }

    ProxyService.Upstream watch(ProxyService.Upstream upstream) {
      return () -> {
        double now = host.seconds();
        if (inFlight > 0) {
          sim.violation(host.name() + ": a second upstream fetch while one is in flight");
        }
        if (now - wholeAt < ttl) {
          sim.violation(
              String.format(
                  java.util.Locale.ROOT,
                  "%s: fetched the poem again %.6f s after a whole one arrived, within the TTL",
                  host.name(),
                  now - wholeAt));
        }
        inFlight++;
        Deferred<byte[]> d = upstream.fetch();
        d.addFinally(
            outcome -> {
              inFlight--;
              if (outcome instanceof Outcome.Success<byte[]>(byte[] got) && got.length > 0) {
                if (Arrays.equals(got, poem)) {
                  wholeAt = host.seconds();
                } else {
                  sim.violation(
                      host.name()
                          + ": the upstream fetch brought a cut poem, which the proxy caches: "
                          + got.length
                          + " of "
                          + poem.length
                          + " bytes");
                }
              }
            });
        return d;
      };
    }

    boolean current() {
      return host.isUp() && host.incarnation() == incarnation;
    }
  }

  private void checkProxiesAtTheEnd() {
    for (ProxyWatch w : proxies) {
      if (!w.current()) {
        continue;
      }
      if (w.service.isFetching()) {
        sim.violation(
            w.host.name()
                + ": a fetch is still in flight with "
                + w.service.waiterCount()
                + " waiter(s) after the clients are done");
      }
      if (w.service.isCached()) {
        w.service
            .getPoem()
            .addCallback(
                cached -> {
                  if (!Arrays.equals(cached, w.poem)) {
                    sim.violation(
                        w.host.name()
                            + ": a cut poem is cached: "
                            + cached.length
                            + " of "
                            + w.poem.length
                            + " bytes");
                  }
                  return null;
                });
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Clients: what 'poetry get' does, with a timeout, a transform and a fall-back to the original

  /** How a client's download ended. */
  private sealed interface Result {
    record Poem(byte[] bytes) implements Result {}

    record Transformed(String text) implements Result {}

    record Original(byte[] bytes, Throwable why) implements Result {}

    record Failed(Throwable why) implements Result {}
  }

  private void client(String name, Source source, String xform, Duration timeout, double start) {
    SimHost h = sim.addHost(name);
    clients++;
    h.callLater(
        start,
        () -> {
          h.note(
              "get "
                  + source.host()
                  + (xform == null ? "" : " --xform " + xform)
                  + " --timeout "
                  + dev.braid.defer.Clock.toSeconds(timeout));
          Deferred<Result> d =
              PoetryClient.fetch(h, source.host(), POETRY_PORT, null)
                  .addTimeout(timeout, h)
                  .addCallbacksDeferred(
                      bytes ->
                          xform == null
                              ? Deferred.succeed(new Result.Poem(bytes))
                              : transform(h, bytes, xform, timeout),
                      failure -> Deferred.succeed(new Result.Failed(failure.value())));
          h.track("poem", d)
              .addCallback(
                  result -> {
                    check(h, source, xform, result);
                    return null;
                  });
        });
  }

  private Deferred<Result> transform(SimHost h, byte[] bytes, String xform, Duration timeout) {
    String text = utf8(bytes);
    if (text == null) {
      return Deferred.succeed(
          new Result.Original(bytes, new TransformException("the poem is not UTF-8")));
    }
    return TransformProxy.create(h, XFORM_HOST, XFORM_PORT)
        .xform(xform, text)
        .addTimeout(timeout, h)
        .addCallbacks(
            t -> (Result) new Result.Transformed(t), f -> new Result.Original(bytes, f.value()));
  }

  private void check(SimHost h, Source source, String xform, Result result) {
    String who = h.name() + " (from " + source.host() + (xform == null ? "" : ", " + xform) + ")";
    switch (result) {
      case Result.Poem(byte[] got) -> {
        poems++;
        h.note("got the poem: " + got.length + " bytes");
        if (!Arrays.equals(got, source.poem())) {
          sim.violation(who + ": a cut poem as a success: " + describe(got, source.poem()));
        }
      }
      case Result.Original(byte[] got, Throwable why) -> {
        originals++;
        h.note("got the original poem (" + got.length + " bytes): the transform failed: " + why);
        if (!Arrays.equals(got, source.poem())) {
          sim.violation(who + ": a cut poem as a success: " + describe(got, source.poem()));
        }
      }
      case Result.Transformed(String text) -> {
        transformed++;
        h.note("got the poem transformed: " + text.length() + " chars");
        String expected = expectedTransform(xform, source.poem());
        if (expected == null) {
          sim.violation(who + ": a transform that cannot succeed succeeded");
        } else if (!expected.equals(text)) {
          sim.violation(
              who
                  + ": a cut transform as a success: "
                  + describe(
                      text.getBytes(StandardCharsets.UTF_8),
                      expected.getBytes(StandardCharsets.UTF_8)));
        }
      }
      case Result.Failed(Throwable why) -> {
        failures++;
        h.note("failed: " + why.getClass().getSimpleName() + ": " + why.getMessage());
      }
    }
  }

  private static String expectedTransform(String xform, byte[] poem) {
    try {
      return LOCAL.transform(xform, new String(poem, StandardCharsets.UTF_8));
    } catch (TransformException e) {
      return null;
    }
  }

  private static String describe(byte[] got, byte[] expected) {
    if (got.length < expected.length && Arrays.equals(got, Arrays.copyOf(expected, got.length))) {
      return "the first " + got.length + " of " + expected.length + " bytes";
    }
    return got.length + " bytes that are not the " + expected.length + " of the poem";
  }

  /** The text of {@code bytes} if they are well-formed UTF-8, else null. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
