package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code poetry pending PID}, run against a real proxy process whose upstream server accepts and
 * never sends a byte: the dump is taken from outside, through the Attach API and JMX.
 */
@Tag("loopback")
class PendingCommandTest {
  RunningReactor upstream;
  CompletableFuture<Void> upstreamConnected;

  @BeforeEach
  void startAHungUpstream() {
    upstream = RunningReactor.start();
    upstreamConnected = new CompletableFuture<>();
  }

  @AfterEach
  void stopIt() {
    upstream.close();
  }

  /** A poetry server that accepts and never sends anything. */
  int hungServer() {
    return upstream.call(
        () ->
            upstream
                .reactor()
                .listenTCP(
                    0,
                    address ->
                        new BaseProtocol() {
                          @Override
                          public void makeConnection(Transport transport) {
                            super.makeConnection(transport);
                            upstreamConnected.complete(null);
                          }
                        },
                    ReactorTcp.DEFAULT_BACKLOG,
                    "127.0.0.1")
                .getHost()
                .getPort());
  }

  private static int proxyPort(Child proxy) {
    return ServerCommandsTest.port(
        proxy.nextOutLine(), "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) for .*");
  }

  private static String pending(Child target, String... options) {
    TestEnv env = TestEnv.redirected();
    String[] args = new String[options.length + 2];
    args[0] = "pending";
    System.arraycopy(options, 0, args, 1, options.length);
    args[args.length - 1] = Long.toString(target.pid());
    int status = env.run(args);
    assertThat(status).as("exit status (stderr: %s)", env.err.text()).isZero();
    assertThat(env.err.text()).isEmpty();
    return env.out.text();
  }

  @Test
  void aDumpFromOutsideShowsAProxyClientWaitingOnTheHungUpstreamConnection() throws Exception {
    int hung = hungServer();
    try (Child proxy =
            Child.poetry(List.of("-Dbraid.debug=true"), "proxy", "--reactors", "1", "" + hung);
        Socket client = new Socket("127.0.0.1", proxyPort(proxy))) {
      upstreamConnected.get(60, TimeUnit.SECONDS);

      String dump = pending(proxy);

      assertThat(dump)
          .containsPattern(
              "^Reactor SelectorReactor#1\\{running, (native|nio)} on thread \"[^\"]+\", up ")
          .contains("Listening ports (1):\n  TCP port 127.0.0.1:")
          .contains("Connections (2):\n")
          .containsPattern(
              "  dev\\.braid\\.poetry\\.PoetryProtocol \\[client 127\\.0\\.0\\.1:\\d+ ->"
                  + " 127\\.0\\.0\\.1:"
                  + hung
                  + "\\]: open \\d+\\.\\d s, received 0 bytes, sent 0 bytes")
          .containsPattern("due in \\d+\\.\\d s: a lambda in dev\\.braid\\.defer\\.Deferred")
          .containsPattern("\\d+ pending Deferreds? on thread \"[^\"]+\"")
          .containsPattern(
              "\\nDeferred@\\w+: no result yet\\n  created \\d+\\.\\d s ago at"
                  + " dev\\.braid\\.poetry\\.ProxyService\\$Flight\\.join\\(ProxyService\\.java:\\d+\\)")
          .containsPattern(
              "  1\\. callback/errback added at"
                  + " dev\\.braid\\.poetry\\.PoetryProxyProtocol\\.connectionMade\\(")
          .containsPattern("  waits on Deferred@\\w+:\\n    Deferred@\\w+: no result yet")
          .contains("waits on its timeout of 30 seconds (addTimeout), expires in ")
          .containsPattern(
              "waits on connection dev\\.braid\\.poetry\\.PoetryProtocol \\[client"
                  + " 127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:"
                  + hung
                  + "\\]: open \\d+\\.\\d s, received 0 bytes")
          .doesNotContain("not tracked");
      // Deferreds' steps are named by their lines, never by lambda classes (a port's factory, above
      // them, is described by its own toString).
      assertThat(dump.substring(dump.indexOf(" pending Deferred"))).doesNotContain("$$Lambda");
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  void withoutDebugModeTheDumpListsTheConnectionsAndTrackCanTurnItOn() throws Exception {
    int hung = hungServer();
    try (Child proxy = Child.poetry(List.of(), "proxy", "--reactors", "1", "" + hung)) {
      int port = proxyPort(proxy);
      try (Socket first = new Socket("127.0.0.1", port)) {
        upstreamConnected.get(60, TimeUnit.SECONDS);

        String untracked = pending(proxy);

        assertThat(untracked)
            .contains("Connections (2):")
            .contains("Pending Deferreds are not tracked")
            .contains("'poetry pending --track " + proxy.pid() + "'")
            .contains("POETRY_JAVA_OPTS=-Dbraid.debug=true");

        assertThat(pending(proxy, "--track"))
            .contains("Debug mode is now on in process " + proxy.pid());
        try (Socket second = new Socket("127.0.0.1", port)) {
          String tracked = awaitDump(proxy, "1 pending Deferred on thread \"");

          assertThat(tracked)
              .containsPattern("created \\d+\\.\\d s ago at dev\\.braid\\.poetry\\.ProxyService");
          assertThat(second.isConnected()).isTrue();
          assertThat(first.isConnected()).isTrue();
        }
      }
    }
  }

  /** Asks until the dump contains {@code text} (the proxy tracks the second client on its own). */
  private static String awaitDump(Child proxy, String text) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String dump = pending(proxy);
      if (dump.contains(text) || System.nanoTime() > deadline) {
        assertThat(dump).contains(text);
        return dump;
      }
    }
  }

  @Test
  void theDotOptionPrintsAGraph() throws Exception {
    int hung = hungServer();
    try (Child proxy =
            Child.poetry(List.of("-Dbraid.debug=true"), "proxy", "--reactors", "1", "" + hung);
        Socket client = new Socket("127.0.0.1", proxyPort(proxy))) {
      upstreamConnected.get(60, TimeUnit.SECONDS);

      String dot = pending(proxy, "--dot");

      assertThat(dot).startsWith("digraph deferreds {").contains("label=\"waits on\"");
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  void aProcessThatIsNotJavaIsLeftAloneWithAOneLineError() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      TestEnv env = TestEnv.redirected();

      int status = env.run("pending", Long.toString(sleep.pid()));

      assertThat(status).isEqualTo(1);
      assertThat(env.err.text())
          .isEqualTo(
              "poetry pending: error: process "
                  + sleep.pid()
                  + " is not a Java process that this user can attach to (it is not among those"
                  + " 'jps' lists)\n");
      assertThat(sleep.isAlive()).as("not signalled").isTrue();
    } finally {
      sleep.destroy();
      sleep.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPidThatIsNotANumberIsAUsageError() {
    TestEnv env = TestEnv.redirected();

    assertThat(env.run("pending", "proxy")).isEqualTo(2);
    assertThat(env.err.text())
        .isEqualTo(
            "poetry pending: invalid PID 'proxy': expected a process id, a positive whole number"
                + " (see 'poetry pending --help')\n");
  }

  @Test
  void noSuchProcessIsAnError() {
    TestEnv env = TestEnv.redirected();
    long unused = Long.MAX_VALUE / 2;

    assertThat(env.run("pending", Long.toString(unused))).isEqualTo(1);
    assertThat(env.err.text())
        .isEqualTo("poetry pending: error: no process with PID " + unused + "\n");
  }
}
