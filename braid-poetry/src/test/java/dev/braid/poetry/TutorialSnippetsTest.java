package dev.braid.poetry;

import static dev.braid.test.DeferredAssertions.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DeferredTimeoutException;
import dev.braid.defer.Failure;
import dev.braid.defer.VirtualClock;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.Factory;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.testing.LoopbackPorts;
import dev.braid.test.MemoryConnector;
import dev.braid.test.MemoryReactor;
import dev.braid.test.RunningReactor;
import dev.braid.test.StringTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The code of {@code docs/tutorial.md}: each snippet lives here between {@code tag::}/{@code end::}
 * markers and runs in a test; {@link TutorialDocTest} checks that the document shows each one
 * verbatim, so the tutorial cannot drift from code that compiles and works.
 */
@Tag("loopback")
class TutorialSnippetsTest {
  static final String POEM = Poems.named("deferred").text();
  static final ByteArrayOutputStream ERR_BYTES = new ByteArrayOutputStream();
  static final PrintStream err = new PrintStream(ERR_BYTES, true, StandardCharsets.UTF_8);

  // tag::get-poetry[]
  static Deferred<String> getPoetry(ReactorTcp reactor, String host, int port) {
    PoetryClientFactory factory = PoetryClientFactory.create(); // it makes the Deferred...
    reactor.connectTCP(host, port, factory);
    return factory
        .deferred() // ...and only it fires it
        .addCallback(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  // end::get-poetry[]

  // tag::client-4[]
  static Deferred<List<String>> poetryMain(Reactor reactor, List<Integer> ports) {
    List<String> poems = new ArrayList<>();
    List<Failure> errors = new ArrayList<>();
    Deferred<List<String>> done = Deferred.create();
    for (int port : ports) {
      getPoetry(reactor, "127.0.0.1", port)
          .addCallbacks(
              poem -> {
                poems.add(poem); // got_poem
                return null;
              },
              failure -> {
                err.println("Poem failed: " + failure.getErrorMessage()); // poem_failed
                errors.add(failure);
                return null; // handled: the chain goes on with null
              })
          .addBoth(
              ignored -> { // poem_done, whichever way it went
                if (poems.size() + errors.size() == ports.size()) {
                  done.callback(poems);
                }
                return null;
              });
    }
    return done;
  }

  // end::client-4[]

  // tag::exercises-8[]
  static Deferred<String> getPoetryOrExplain(
      ReactorTcp reactor, Clock clock, String host, int port) {
    return getPoetry(reactor, host, port)
        .addTimeout(Duration.ofSeconds(5), clock) // exercise 1: fails, and closes the socket
        .addErrback(
            failure -> {
              err.println(host + ":" + port + " failed: " + failure.getErrorMessage()); // ex. 2
              return failure.raiseException(); // still a failure for whoever comes next
            });
  }

  // end::exercises-8[]

  // tag::client-6[]
  static Deferred<String> getTransformedPoem(
      Reactor reactor, int poetryPort, TransformProxy proxy) {
    return getPoetry(reactor, "127.0.0.1", poetryPort)
        .addCallbackDeferred(
            poem ->
                proxy
                    .xform("cummingsify", poem) // the inner Deferred: the outer chain waits
                    .addErrback(
                        failure -> {
                          err.println("Cummingsify failed!");
                          return poem; // recover: go on with the original poem
                        }));
  }

  // end::client-6[]

  // tag::errback-recovers[]
  static Deferred<String> poemOrApology(Reactor reactor, int port) {
    return getPoetry(reactor, "127.0.0.1", port)
        .addErrback(
            failure -> {
              failure.trap(ConnectError.class); // anything else goes on down the chain
              return "No poem today: " + failure.getErrorMessage();
            })
        .addCallback(text -> text.toUpperCase(Locale.ROOT)); // runs either way
  }

  // end::errback-recovers[]

  // tag::proxy-1[]
  /** Proxy 1.0's service: getPoem() returns the poem, or a Deferred of it. */
  static final class SometimesAsyncService {
    private final ReactorTcp reactor;
    private final int port;
    private byte[] poem; // the cached poem

    SometimesAsyncService(ReactorTcp reactor, int port) {
      this.reactor = reactor;
      this.port = port;
    }

    Object getPoem() {
      if (poem != null) {
        return poem; // synchronous: here it is
      }
      PoetryClientFactory factory = PoetryClientFactory.create();
      reactor.connectTCP("127.0.0.1", port, factory);
      return factory.deferred().addCallback(p -> poem = p); // asynchronous: later
    }
  }

  /** Proxy 1.0's protocol: maybeDeferred turns both answers into a Deferred. */
  static final class MaybeDeferredProxyProtocol extends BaseProtocol {
    private final SometimesAsyncService service;

    MaybeDeferredProxyProtocol(SometimesAsyncService service) {
      this.service = service;
    }

    @Override
    protected void connectionMade() {
      Deferred<Object> d = Deferred.maybeDeferred(service::getPoem);
      d.addCallback(
              poem -> {
                transport().write((byte[]) poem); // a cast: Java sees the two kinds of answer
                return null;
              })
          .addBoth(
              ignored -> {
                transport().loseConnection();
                return null;
              });
    }
  }

  // end::proxy-1[]

  // tag::proxy-2[]
  /** Proxy 2.0's service: getPoem() always returns a Deferred, pre-fired when cached. */
  static final class AlwaysDeferredService {
    private final ReactorTcp reactor;
    private final int port;
    private byte[] poem;

    AlwaysDeferredService(ReactorTcp reactor, int port) {
      this.reactor = reactor;
      this.port = port;
    }

    Deferred<byte[]> getPoem() {
      if (poem != null) {
        return Deferred.succeed(poem); // already fired: callbacks run as they are added
      }
      PoetryClientFactory factory = PoetryClientFactory.create();
      reactor.connectTCP("127.0.0.1", port, factory);
      return factory.deferred().addCallback(p -> poem = p);
    }
  }

  // end::proxy-2[]

  // tag::proxy-3[]
  static Factory cachingProxy(Reactor reactor, int upstreamPort) {
    ProxyService service =
        ProxyService.create(
            reactor, // the clock that ages the cache
            PoetryClient.upstream(reactor, "127.0.0.1", upstreamPort),
            Duration.ofHours(2));
    return PoetryProxyFactory.create(service);
  }

  // end::proxy-3[]

  // ---------------------------------------------------------------------------------------------
  // The snippets at work

  static int listen(RunningReactor r, Factory f) {
    return PoetryLoopbackTest.listen(r, f);
  }

  static int poetryServer(RunningReactor r, String poem) {
    return listen(
        r, PoetryServerFactory.create(PoetryService.of(poem, Pacing.atOnce()), r.reactor()));
  }

  @Test
  void client4GetsEveryPoemAndReportsEveryFailure() {
    try (RunningReactor r = RunningReactor.start()) {
      int a = poetryServer(r, POEM);
      int b = poetryServer(r, "Café at Midnight");
      int down = LoopbackPorts.unusedPort();
      List<String> poems = r.await(() -> poetryMain(r.reactor(), List.of(a, down, b)));
      assertThat(poems).containsExactlyInAnyOrder(POEM, "Café at Midnight");
      assertThat(ERR_BYTES.toString(StandardCharsets.UTF_8))
          .contains("Poem failed: 127.0.0.1:" + down + ": connection refused");
    }
  }

  @Test
  void theExercisesOfPart8TimeOutAndNameTheServer() {
    MemoryReactor reactor = MemoryReactor.create(VirtualClock.create());
    Deferred<String> poem = getPoetryOrExplain(reactor, reactor, "10.0.0.7", 10000);
    StringTransport t = reactor.connectors().get(0).complete();
    t.protocol().dataReceived("The slow".getBytes(StandardCharsets.UTF_8));
    reactor.advance(5);
    assertThat(t.isDisconnected()).as("the connection was closed").isTrue();
    dev.braid.test.DeferredAssertions.failureResultOf(poem, DeferredTimeoutException.class);
    assertThat(ERR_BYTES.toString(StandardCharsets.UTF_8)).contains("10.0.0.7:10000 failed: ");
  }

  @Test
  void client6TransformsThroughTheNestedDeferredAndFallsBack() {
    try (RunningReactor r = RunningReactor.start()) {
      int poetry = poetryServer(r, POEM);
      int xform = listen(r, TransformServerFactory.create(TransformService.standard()));
      TransformProxy proxy = TransformProxy.create(r.reactor(), "127.0.0.1", xform);
      assertThat(r.await(() -> getTransformedPoem(r.reactor(), poetry, proxy)))
          .isEqualTo(POEM.toLowerCase(Locale.ROOT));
      TransformProxy down =
          TransformProxy.create(r.reactor(), "127.0.0.1", LoopbackPorts.unusedPort());
      assertThat(r.await(() -> getTransformedPoem(r.reactor(), poetry, down))).isEqualTo(POEM);
      assertThat(ERR_BYTES.toString(StandardCharsets.UTF_8)).contains("Cummingsify failed!");
    }
  }

  @Test
  void anErrbackThatReturnsRecoversTheChain() {
    try (RunningReactor r = RunningReactor.start()) {
      int down = LoopbackPorts.unusedPort();
      assertThat(r.await(() -> poemOrApology(r.reactor(), down)))
          .isEqualTo("NO POEM TODAY: 127.0.0.1:" + down + ": CONNECTION REFUSED");
    }
  }

  @Test
  void proxy1AnswersFromTheNetworkThenFromItsCacheThroughMaybeDeferred() {
    MemoryReactor reactor = MemoryReactor.create(VirtualClock.create());
    SometimesAsyncService service = new SometimesAsyncService(reactor, 10001);
    StringTransport first = StringTransport.create();
    first.connect(new MaybeDeferredProxyProtocol(service));
    MemoryConnector upstream = reactor.connectors().get(0);
    StringTransport up = upstream.complete();
    up.protocol().dataReceived(POEM.getBytes(StandardCharsets.UTF_8));
    up.connectionLost(new ConnectionDone());
    assertThat(first.valueUtf8()).isEqualTo(POEM);
    assertThat(service.getPoem()).isInstanceOf(byte[].class);
    StringTransport second = StringTransport.create();
    second.connect(new MaybeDeferredProxyProtocol(service));
    assertThat(second.valueUtf8()).isEqualTo(POEM);
    assertThat(second.isDisconnecting()).isTrue();
    assertThat(reactor.connectors()).hasSize(1);
  }

  @Test
  void proxy2ReturnsAPreFiredDeferredWhenCached() {
    MemoryReactor reactor = MemoryReactor.create(VirtualClock.create());
    AlwaysDeferredService service = new AlwaysDeferredService(reactor, 10001);
    Deferred<byte[]> first = service.getPoem();
    StringTransport up = reactor.connectors().get(0).complete();
    up.protocol().dataReceived(POEM.getBytes(StandardCharsets.UTF_8));
    up.connectionLost(new ConnectionDone());
    assertThat(new String(successResultOf(first), StandardCharsets.UTF_8)).isEqualTo(POEM);
    Deferred<byte[]> second = service.getPoem();
    assertThat(second.isCalled()).isTrue();
    assertThat(reactor.connectors()).hasSize(1);
    successResultOf(second);
  }

  @Test
  void proxy3CachesWithATtlAndFetchesOnce() {
    try (RunningReactor r = RunningReactor.start()) {
      PoetryServerFactory upstream =
          PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), r.reactor());
      int up = listen(r, upstream);
      Factory proxyFactory = r.call(() -> cachingProxy(r.reactor(), up));
      int proxy = listen(r, proxyFactory);
      for (int i = 0; i < 3; i++) {
        assertThat(r.await(() -> getPoetry(r.reactor(), "127.0.0.1", proxy))).isEqualTo(POEM);
      }
      assertThat(r.call(upstream::connectionCount)).isEqualTo(1);
    }
  }
}
