package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Handoff;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.test.RunningGroup;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.event.Level;

/** A group of reactors: one port served by all, every connection on one thread, one lifecycle. */
@Tag("loopback")
class ReactorGroupTest {

  /**
   * Writes the name of the thread serving it and closes; fails the test (through {@link #wrong}) if
   * any of its events happens on another thread than the one that built it.
   */
  private static final class ThreadNaming extends BaseProtocol {
    private final String builtOn = Thread.currentThread().getName();
    private final List<String> wrong;

    ThreadNaming(List<String> wrong) {
      this.wrong = wrong;
    }

    private void check(String event) {
      String here = Thread.currentThread().getName();
      if (!here.equals(builtOn)) {
        wrong.add(event + " on " + here + ", built on " + builtOn);
      }
    }

    @Override
    protected void connectionMade() {
      check("connectionMade");
      transport().write(builtOn.getBytes(StandardCharsets.UTF_8));
      transport().loseConnection();
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      check("connectionLost");
      super.connectionLost(reason);
    }
  }

  /** Connects a blocking socket, reads to end of stream, returns what it read. */
  private static String fetch(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(30_000);
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, Integer> fetchMany(int port, int n) throws IOException {
    Map<String, Integer> served = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      served.merge(fetch(port), 1, Integer::sum);
    }
    return served;
  }

  @Test
  void theThreadsAreNamedInOrderAndStoppingTheGroupEndsEveryOne() {
    RunningGroup running = RunningGroup.start(3);
    List<String> names = new ArrayList<>();
    for (SelectorReactor reactor : running.group().reactors()) {
      names.add(running.call(reactor, () -> Thread.currentThread().getName()));
    }
    assertThat(names).containsExactly("braid-reactor-1", "braid-reactor-2", "braid-reactor-3");
    assertThat(running.group().isRunning()).isTrue();

    running.close();

    assertThat(running.group().threads())
        .hasSize(3)
        .allSatisfy(t -> assertThat(t.getState()).isEqualTo(Thread.State.TERMINATED));
    assertThat(running.group().reactors()).noneMatch(SelectorReactor::isRunning);
    assertThat(running.group().isRunning()).isFalse();
  }

  @Test
  void oneReactorStoppingStopsTheWholeGroup() {
    RunningGroup running = RunningGroup.start(3);
    running.reactor(1).callFromThread(() -> running.reactor(1).stop());

    running.stopAndJoin();

    assertThat(running.group().threads())
        .allSatisfy(t -> assertThat(t.getState()).isEqualTo(Thread.State.TERMINATED));
    assertThatThrownBy(() -> running.group().stop())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("it has stopped");
  }

  @Test
  void aGroupRunsOnce() {
    RunningGroup running = RunningGroup.start(1);
    assertThatThrownBy(() -> running.group().run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already running");
    running.close();
    assertThatThrownBy(() -> running.group().run())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot be restarted");
  }

  @ParameterizedTest
  @EnumSource(PortSharing.class)
  void everyReactorServesThePortAndEachConnectionStaysOnTheReactorThatGotIt(PortSharing sharing)
      throws IOException {
    List<String> wrong = new CopyOnWriteArrayList<>();
    Map<SelectorReactor, Integer> factoriesBuilt = new ConcurrentHashMap<>();
    ReactorGroup group = ReactorGroup.create(4);
    GroupPort port =
        group.listenTCP(
            0,
            reactor -> {
              factoriesBuilt.merge(reactor, 1, Integer::sum);
              return address -> new ThreadNaming(wrong);
            },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1",
            sharing);
    assertThat(port.sharing()).isEqualTo(sharing);
    assertThat(factoriesBuilt).hasSize(4).allSatisfy((reactor, n) -> assertThat(n).isOne());
    try (RunningGroup running = RunningGroup.start(group)) {
      Map<String, Integer> served = fetchMany(port.getHost().getPort(), 400);

      assertThat(served)
          .containsOnlyKeys(
              "braid-reactor-1", "braid-reactor-2", "braid-reactor-3", "braid-reactor-4");
      if (sharing == PortSharing.ACCEPTOR) {
        // Handed out in turn: one connection at a time makes it exact.
        assertThat(served.values()).containsOnly(100);
      }
      assertThat(wrong).isEmpty();
      for (int i = 0; i < 4; i++) {
        SelectorReactor reactor = running.reactor(i);
        assertThat(running.call(reactor, () -> reactor.listeningPorts()))
            .containsExactly(port.portOf(reactor));
      }
      RunningReactor.get(port.stopListening());
    }
  }

  @Test
  void aGroupOfOneListensAsItsReactorDoes() throws IOException {
    ReactorGroup group = ReactorGroup.create(1);
    List<String> wrong = new CopyOnWriteArrayList<>();
    GroupPort port =
        group.listenTCP(
            0,
            reactor -> address -> new ThreadNaming(wrong),
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1",
            PortSharing.ACCEPTOR);
    RunningGroup running = RunningGroup.start(group);
    assertThat(fetch(port.getHost().getPort())).isEqualTo("braid-reactor-1");
    RunningReactor.get(port.stopListening());
    running.close();
    assertThat(wrong).isEmpty();
  }

  @Test
  void listeningOnARunningGroupOpensEveryReactorsPortOnItsThread() throws IOException {
    try (RunningGroup running = RunningGroup.start(2)) {
      List<String> builtOn = new CopyOnWriteArrayList<>();
      GroupPort port =
          running
              .group()
              .listenTCP(
                  0,
                  reactor -> {
                    builtOn.add(Thread.currentThread().getName());
                    return address -> new ThreadNaming(new CopyOnWriteArrayList<>());
                  },
                  ReactorTcp.DEFAULT_BACKLOG,
                  "127.0.0.1",
                  PortSharing.best());
      assertThat(builtOn).containsExactly("braid-reactor-1", "braid-reactor-2");
      assertThat(fetchMany(port.getHost().getPort(), 40)).isNotEmpty();
      RunningReactor.get(port.stopListening());

      SelectorReactor first = running.reactor(0);
      assertThatThrownBy(
              () ->
                  running.call(
                      first,
                      () ->
                          running
                              .group()
                              .listenTCP(0, reactor -> address -> null, 50, "127.0.0.1")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot be called on one of them (braid-reactor-1)");
    }
  }

  @Test
  void aPortThatCannotBeBoundOnEveryReactorIsClosedOnAll() throws IOException {
    try (RunningReactor other = RunningReactor.start()) {
      int taken = other.listen(address -> null); // bound without SO_REUSEPORT
      ReactorGroup group = ReactorGroup.create(2);
      assertThatThrownBy(
              () ->
                  group.listenTCP(
                      taken,
                      reactor -> address -> null,
                      ReactorTcp.DEFAULT_BACKLOG,
                      "127.0.0.1",
                      PortSharing.KERNEL))
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken);
      try (RunningGroup running = RunningGroup.start(group)) {
        for (SelectorReactor reactor : group.reactors()) {
          assertThat(running.call(reactor, reactor::listeningPorts)).isEmpty();
        }
      }
    }
  }

  @Test
  void connectTcpFromAReactorMakesAConnectionOfThatReactor() {
    try (RunningReactor server = RunningReactor.start();
        RunningGroup running = RunningGroup.start(3)) {
      int port = server.listen(address -> new ThreadNaming(new CopyOnWriteArrayList<>()));
      SelectorReactor second = running.reactor(1);
      List<String> events = new CopyOnWriteArrayList<>();
      Deferred<?>[] closed = new Deferred<?>[1];
      String received =
          running
              .outcomeOf(
                  second,
                  () -> {
                    Deferred<String> reply = Deferred.create();
                    Deferred<Void> lost = Deferred.create();
                    closed[0] = lost;
                    second.connectTCP(
                        "127.0.0.1",
                        port,
                        clientFactory(
                            () ->
                                new BaseProtocol() {
                                  private final StringBuilder text = new StringBuilder();

                                  @Override
                                  protected void connectionMade() {
                                    events.add("made on " + Thread.currentThread().getName());
                                    events.add(
                                        "listed by its reactor: "
                                            + second.openConnections().contains(transport()));
                                  }

                                  @Override
                                  public void dataReceived(byte[] data) {
                                    text.append(new String(data, StandardCharsets.UTF_8));
                                  }

                                  @Override
                                  public void connectionLost(ConnectionEnd reason) {
                                    events.add("lost on " + Thread.currentThread().getName());
                                    reply.callback(text.toString());
                                    lost.callback(null);
                                  }
                                }));
                    return reply;
                  })
              .get();
      assertThat(received).startsWith("braid-test-reactor-");
      assertThat(events)
          .containsExactly(
              "made on braid-reactor-2", "listed by its reactor: true", "lost on braid-reactor-2");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ClientFactory clientFactory(java.util.function.Supplier<Protocol> protocols) {
    return address -> protocols.get();
  }

  @Test
  void noReactorClosesAnythingBeforeEveryBeforeTriggerOfTheGroupHasFinished() throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    ReactorGroup group = ReactorGroup.create(2);
    SelectorReactor first = group.reactor(0);
    SelectorReactor second = group.reactor(1);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    GroupPort port =
        group.listenTCP(
            0,
            reactor ->
                reactor == second
                    ? address ->
                        new BaseProtocol() {
                          @Override
                          protected void connectionMade() {
                            connected.complete(null);
                          }

                          @Override
                          public void connectionLost(ConnectionEnd reason) {
                            events.add("second's connection closed");
                          }
                        }
                    : address -> null,
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1",
            PortSharing.ACCEPTOR);
    // The group's own BEFORE trigger (the first reactor's) takes a while.
    group.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          Deferred<Void> slow = Deferred.create();
          first.callLater(
              0.3,
              () -> {
                events.add("first's BEFORE trigger finished");
                slow.callback(null);
              });
          return slow;
        });
    group.addSystemEventTrigger(
        SystemEventPhase.AFTER,
        () -> {
          events.add("group's AFTER trigger");
          return null;
        });
    second.addSystemEventTrigger(
        SystemEventPhase.DURING,
        () -> {
          events.add("second's DURING trigger");
          return null;
        });
    RunningGroup running = RunningGroup.start(group);
    int number = port.getHost().getPort();
    // The acceptor keeps the first connection (refused there: its factory builds nothing) and
    // hands the second to the second reactor.
    try (Socket toFirst = new Socket("127.0.0.1", number);
        Socket toSecond = new Socket("127.0.0.1", number)) {
      assertThat(toFirst.isConnected() && toSecond.isConnected()).isTrue();
      RunningReactor.get(connected);
      running.stopAndJoin();
    }

    assertThat(events)
        .containsExactly(
            "first's BEFORE trigger finished",
            "second's connection closed",
            "second's DURING trigger",
            "group's AFTER trigger");
  }

  @Test
  void theJanitorNamesWhatAnyReactorOfTheGroupLeftBehind() {
    ReactorGroup group = ReactorGroup.create(2);
    RunningGroup running = RunningGroup.start(group);
    SelectorReactor second = running.reactor(1);
    running.call(second, () -> second.callLater(3600, () -> {}));
    running.call(second, () -> second.listenTCP(0, address -> null, 50, "127.0.0.1"));

    assertThatThrownBy(running::close)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("braid-reactor-2: pending delayed call")
        .hasMessageContaining("braid-reactor-2: listening port: TCP port 127.0.0.1:")
        .hasMessageNotContaining("braid-reactor-1:");
    // The janitor still stopped the group.
    assertThat(group.threads())
        .allSatisfy(t -> assertThat(t.getState()).isEqualTo(Thread.State.TERMINATED));
  }

  @Test
  void aGroupThatCleansUpEndsClean() throws IOException {
    ReactorGroup group = ReactorGroup.create(4);
    GroupPort port =
        group.listenTCP(
            0,
            reactor -> address -> new ThreadNaming(new CopyOnWriteArrayList<>()),
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    RunningGroup running = RunningGroup.start(group);
    fetchMany(port.getHost().getPort(), 100);
    RunningReactor.get(port.stopListening());

    assertThat(running.leftovers()).isEmpty();
    running.close();
  }

  @Test
  void aDeferredOfOneReactorGivenACallbackOnAnotherFailsInDebugMode() {
    boolean before = Deferred.isDebugging();
    Deferred.setDebugging(true);
    try (RunningGroup running = RunningGroup.start(2)) {
      SelectorReactor first = running.reactor(0);
      SelectorReactor second = running.reactor(1);
      Deferred<String> ofFirst = running.call(first, () -> Deferred.<String>create());

      assertThatThrownBy(() -> running.call(second, () -> ofFirst.addCallback(String::length)))
          .isInstanceOf(WrongThreadException.class)
          .hasMessageContaining("belongs to thread braid-reactor-1")
          .hasMessageContaining("given a callback on thread braid-reactor-2")
          .hasMessageContaining("ReactorGroupTest");
      running.call(
          first,
          () -> {
            ofFirst.callback("fine on its own thread");
            return null;
          });
    } finally {
      Deferred.setDebugging(before);
    }
  }

  @Test
  void handoffDeliversAResultFiredOnOneReactorToAWaiterOnAnother() {
    boolean before = Deferred.isDebugging();
    Deferred.setDebugging(true); // and nothing crosses a thread
    try (RunningGroup running = RunningGroup.start(2)) {
      SelectorReactor first = running.reactor(0);
      SelectorReactor second = running.reactor(1);
      List<String> events = new CopyOnWriteArrayList<>();
      String result =
          running
              .outcomeOf(
                  second,
                  () ->
                      Handoff.call(
                              first::callFromThread,
                              () -> {
                                Deferred<String> later = Deferred.create();
                                first.callLater(
                                    0.05,
                                    () -> {
                                      events.add("fired on " + Thread.currentThread().getName());
                                      later.callback("poem");
                                    });
                                return later;
                              },
                              second::callFromThread)
                          .addCallback(
                              poem -> {
                                events.add("waiter on " + Thread.currentThread().getName());
                                return poem;
                              }))
              .get();
      assertThat(result).isEqualTo("poem");
      assertThat(events).containsExactly("fired on braid-reactor-1", "waiter on braid-reactor-2");
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      Deferred.setDebugging(before);
    }
  }

  @Test
  void aReactorWhoseSelectorFailsTakesTheGroupDownAndRunThrows(LogCapture logs) {
    ReactorGroup group = ReactorGroup.create(3);
    SelectorReactor second = group.reactor(1);
    java.util.concurrent.atomic.AtomicBoolean armed =
        new java.util.concurrent.atomic.AtomicBoolean();
    SelectorReactor.SelectStep real = second.selectStep;
    second.selectStep =
        (selector, handler, timeout) -> {
          if (armed.compareAndSet(true, false)) {
            throw new IOException("the selector broke");
          }
          real.select(selector, handler, timeout);
        };
    RunningGroup running = RunningGroup.start(group);
    armed.set(true);
    second.callFromThread(() -> {}); // wakes it: its next select fails

    assertThatThrownBy(running::stopAndJoin)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the reactor group failed")
        .hasMessageContaining("the selector broke");
    assertThat(group.threads())
        .allSatisfy(t -> assertThat(t.getState()).isEqualTo(Thread.State.TERMINATED));
    logs.expect(Level.ERROR, SelectorReactor.class, "the selector failed");
  }

  @Test
  void ofRefusesAReactorThatRanOrIsListedTwice() {
    SelectorReactor reactor = SelectorReactor.create();
    assertThatThrownBy(() -> ReactorGroup.of(List.of(reactor, reactor)))
        .isInstanceOf(IllegalArgumentException.class);
    ReactorGroup.of(List.of(reactor));
    assertThatThrownBy(() -> ReactorGroup.of(List.of(reactor)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already belongs to a group");
    assertThatThrownBy(() -> ReactorGroup.create(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
