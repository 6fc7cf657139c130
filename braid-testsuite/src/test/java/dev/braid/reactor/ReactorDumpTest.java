package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.defer.PendingDeferreds;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.test.RunningReactor;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * "What is this reactor waiting on?": the dump of a running reactor (in and outside debug mode,
 * from its thread and from another, busy or not) and its JMX MBean.
 */
class ReactorDumpTest {
  private boolean debuggingBefore;

  @BeforeEach
  void rememberDebugMode() {
    debuggingBefore = Deferred.isDebugging();
  }

  @AfterEach
  void restoreDebugMode() {
    Deferred.setDebugging(debuggingBefore);
  }

  /**
   * A reactor for debug mode whose slow-callback warnings stay quiet: on a loaded machine a first
   * connection may well take 100 ms.
   */
  private static RunningReactor startQuietly() {
    SelectorReactor reactor = SelectorReactor.create();
    reactor.setSlowCallbackThreshold(Duration.ofHours(1));
    return RunningReactor.start(reactor);
  }

  /** A server that accepts and never writes: a hung upstream. */
  private static ListeningPort silentServer(SelectorReactor reactor) {
    return reactor.listenTCP(0, address -> new BaseProtocol() {}, 50, "127.0.0.1");
  }

  /** Connects to {@code port}; the returned Deferred fires when the connection is lost. */
  private static Deferred<String> fetchFrom(SelectorReactor reactor, int port) {
    Deferred<String> poem = Deferred.create();
    reactor.connectTCP(
        "127.0.0.1",
        port,
        new ClientFactory() {
          @Override
          public void startedConnecting(Connector connector) {
            PendingDeferreds.noteWaitingOn(poem, connector);
          }

          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            return new BaseProtocol() {};
          }
        });
    return poem;
  }

  @Test
  @Tag("loopback")
  void outsideDebugModeTheDumpListsWhatTheReactorKnowsAndSaysHowToTrackDeferreds() {
    Deferred.setDebugging(false);
    try (RunningReactor running = RunningReactor.start()) {
      SelectorReactor reactor = running.reactor();
      int port = running.call(() -> silentServer(reactor).getHost().getPort());
      running.run(() -> fetchFrom(reactor, port));
      running.run(() -> reactor.callLater(Duration.ofMinutes(5), () -> {}));
      awaitConnections(running, 2);

      String dump = reactor.dumpPending();

      assertThat(dump)
          .startsWith(
              "Reactor " + reactor + " on thread \"" + running.thread().getName() + "\", up ")
          .contains("Listening ports (1):\n  TCP port 127.0.0.1:" + port)
          .contains("Connections (2):\n")
          .containsPattern(
              "  dev\\.braid\\.reactor\\.ReactorDumpTest[$\\d]+ \\[client 127\\.0\\.0\\.1:\\d+ ->"
                  + " 127\\.0\\.0\\.1:"
                  + port
                  + "\\]: open \\d+\\.\\d s, received 0 bytes, sent 0 bytes\n")
          .contains("Connection attempts (0)\n")
          .containsPattern(
              "Delayed calls, soonest first \\(1\\):\n  due in (299|300)\\.\\d s: a lambda in"
                  + " dev\\.braid\\.reactor\\.ReactorDumpTest\n")
          .contains("Pending Deferreds are not tracked")
          .contains("-Dbraid.debug=true");
    }
  }

  @Test
  @Tag("loopback")
  void inDebugModeTheDumpShowsPendingDeferredsAndWhatTheyWaitOnInTheReactorsWords() {
    Deferred.setDebugging(true);
    try (RunningReactor running = startQuietly()) {
      SelectorReactor reactor = running.reactor();
      int port = running.call(() -> silentServer(reactor).getHost().getPort());
      running.run(() -> fetchFrom(reactor, port).addCallback(poem -> poem.length()));
      running.run(() -> Deferreds.deferLater(reactor, Duration.ofMinutes(1), () -> "later"));
      awaitConnections(running, 2);

      String dump = reactor.dumpPending();

      assertThat(dump)
          .contains("2 pending Deferreds on thread \"" + running.thread().getName() + "\"")
          .containsPattern(
              "created \\d+\\.\\d s ago at dev\\.braid\\.reactor\\.ReactorDumpTest\\.fetchFrom")
          .containsPattern(
              "waits on connection dev\\.braid\\.reactor\\.ReactorDumpTest[$\\d]+ \\[client"
                  + " 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:"
                  + port
                  + "\\]: open \\d+\\.\\d s, received 0 bytes, sent 0 bytes")
          .containsPattern(
              "1\\. callback added at dev\\.braid\\.reactor\\.ReactorDumpTest\\.lambda\\$.*: not"
                  + " run yet")
          // deferLater's Deferred: created in the library, so its site is the code that called it
          .containsPattern(
              "created \\d+\\.\\d s ago at dev\\.braid\\.reactor\\.ReactorDumpTest\\.lambda\\$\\w+\\$\\d+\\("
                  + "ReactorDumpTest\\.java:\\d+\\)\n    from dev\\.braid\\.test\\.RunningReactor")
          .containsPattern(
              "1\\. callback added at dev\\.braid\\.defer\\.Deferreds\\.deferLater\\(Deferreds\\.java:\\d+\\)"
                  + " from dev\\.braid\\.reactor\\.ReactorDumpTest\\.lambda")
          .containsPattern(
              "waits on delayed call due in (59|60)\\.\\d s: a lambda in dev\\.braid\\.defer\\.Deferreds,"
                  + " scheduled at dev\\.braid\\.defer\\.Deferreds\\.deferLater");
    }
  }

  @Test
  void aDumpAskedFromAnotherThreadIsTakenOnTheReactorThread() {
    try (RunningReactor running = RunningReactor.start()) {
      SelectorReactor reactor = running.reactor();
      running.run(() -> reactor.callLater(Duration.ofMinutes(5), () -> {}));

      String fromOutside = reactor.dumpPending();
      String fromInside = running.call(reactor::dumpPending);

      assertThat(fromOutside)
          .doesNotContain("did not answer")
          .contains("Delayed calls, soonest first (1)");
      assertThat(fromInside).doesNotContain("did not answer");
    }
  }

  @Test
  void aBusyReactorIsReportedWithWhatItsThreadIsRunning() throws Exception {
    Deferred.setDebugging(true);
    try (RunningReactor running = startQuietly()) {
      SelectorReactor reactor = running.reactor();
      CountDownLatch blocking = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      reactor.callFromThread(() -> blockTheLoop(blocking, release));
      assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
      try {
        String dump = reactor.dumpPending();

        assertThat(dump)
            .contains("The reactor thread did not answer within 2 s: its loop is busy and has been")
            .contains("at dev.braid.reactor.ReactorDumpTest.blockTheLoop(ReactorDumpTest.java:")
            .contains("may be a moment out of date")
            .contains("Connections (0)");
      } finally {
        release.countDown();
      }
    }
  }

  private static void blockTheLoop(CountDownLatch blocking, CountDownLatch release) {
    blocking.countDown();
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aRunningReactorIsAnMBeanUntilItStops() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    RunningReactor running = RunningReactor.start();
    String thread = running.thread().getName();
    ObjectName name = new ObjectName("dev.braid:type=Reactor,name=" + thread);
    try {
      SelectorReactor reactor = running.reactor();
      running.run(() -> reactor.callLater(Duration.ofMinutes(5), () -> {}));

      assertThat(server.isRegistered(name)).isTrue();
      assertThat(server.getAttribute(name, "ThreadName")).isEqualTo(thread);
      assertThat(server.getAttribute(name, "State")).isEqualTo("running");
      assertThat(server.getAttribute(name, "DelayedCallCount")).isEqualTo(1);
      assertThat(server.getAttribute(name, "ConnectionCount")).isEqualTo(0);
      assertThat((String) server.invoke(name, "dumpPending", null, null))
          .startsWith("Reactor " + reactor + " on thread \"" + thread + "\"");
      assertThat((String) server.invoke(name, "dumpPendingDot", null, null))
          .startsWith("digraph deferreds {");

      server.setAttribute(name, new javax.management.Attribute("SlowCallbackThresholdMillis", 42L));
      assertThat(reactor.slowCallbackThreshold()).isEqualTo(Duration.ofMillis(42));
    } finally {
      running.close();
    }
    assertThat(server.isRegistered(name)).isFalse();
  }

  @Test
  void twoReactorsWhoseThreadsShareANameAreTwoMBeans() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    SelectorReactor first = SelectorReactor.create();
    SelectorReactor second = SelectorReactor.create();
    CountDownLatch bothRunning = new CountDownLatch(2);
    List<Thread> threads = new ArrayList<>();
    for (SelectorReactor reactor : List.of(first, second)) {
      reactor.callWhenRunning(bothRunning::countDown);
      Thread thread = new Thread(reactor::run, "same-name-reactor");
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.get(0).start();
    // The first registers its MBean before it runs callWhenRunning's calls: the second comes later.
    assertThat(waitFor(first)).isTrue();
    threads.get(1).start();
    try {
      assertThat(bothRunning.await(30, TimeUnit.SECONDS)).isTrue();
      Set<ObjectName> names =
          server.queryNames(new ObjectName("dev.braid:type=Reactor,name=same-name-reactor*"), null);

      assertThat(names)
          .extracting(ObjectName::getCanonicalName)
          .containsExactlyInAnyOrder(
              "dev.braid:name=same-name-reactor,type=Reactor",
              "dev.braid:name=same-name-reactor#" + idOf(second) + ",type=Reactor");
    } finally {
      for (SelectorReactor reactor : List.of(first, second)) {
        reactor.callFromThread(reactor::stop);
      }
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(thread.isAlive()).as("%s stopped", thread).isFalse();
      }
    }
  }

  /** Waits until {@code reactor}'s loop runs calls. */
  private static boolean waitFor(SelectorReactor reactor) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    reactor.callFromThread(running::countDown);
    return running.await(30, TimeUnit.SECONDS);
  }

  @Test
  void aThreadNameThatAnObjectNameCannotHoldIsQuoted() throws Exception {
    assertThat(ReactorJmx.objectName("a,b=c").getKeyProperty("name")).isEqualTo("\"a,b=c\"");
    assertThat(ReactorJmx.objectName("reactor-1").getKeyProperty("name")).isEqualTo("reactor-1");
  }

  @Test
  void theDotOfAReactorDrawsItsPendingDeferreds() {
    Deferred.setDebugging(true);
    try (RunningReactor running = startQuietly()) {
      SelectorReactor reactor = running.reactor();
      running.run(() -> Deferreds.deferLater(reactor, Duration.ofMinutes(1), () -> "later"));

      String dot = reactor.dumpPendingDot();

      assertThat(dot)
          .startsWith("digraph deferreds {")
          .contains("[shape=ellipse, label=\"delayed call due in ")
          .contains("[label=\"waits on\"];");
    }
  }

  /** The number in {@code SelectorReactor#12{running}}. */
  private static String idOf(SelectorReactor reactor) {
    String text = reactor.toString();
    return text.substring(text.indexOf('#') + 1, text.indexOf('{'));
  }

  private static void awaitConnections(RunningReactor running, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (running.call(() -> running.reactor().openConnections().size()) < n) {
      assertThat(System.nanoTime()).as("%d connections open", n).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
