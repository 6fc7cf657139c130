package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Reactor;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability item 2 (docs/reliability.md): illegal netstrings (Twisted's table and more) sent to
 * the running {@code poetry transform-server}: each connection is closed without a reply, and the
 * server goes on serving well-formed requests, before, between and after them.
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class TransformServerIllegalInputTest {
  /** Each is a whole request that no netstring parser may accept. */
  static final List<String> ILLEGAL =
      List.of(
          "9999999999999999999999:abc,", // 22 digits (Twisted's first illegal string)
          "9999999999999999999999", // 22 digits, nothing else
          "abc", // not a length at all (Twisted)
          "4:abcde", // the payload is longer than declared: no comma after 4 bytes (Twisted)
          "51:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,", // 58 for 51 (Twisted)
          "100000:x.y,", // one above the server's maximum of 99,999 bytes
          "01:a,", // a leading zero
          "00:,", // a leading zero on 0
          "3:abc;", // a missing comma
          "3:abc:", // a colon for a comma
          "x:abc,", // a non-digit length
          "3a:abc,", // a non-digit inside the length
          "-1:a,", // a negative length
          "+3:abc,", // a sign
          " 3:abc,", // a space before the length
          "3 :abc,", // a space after it
          "0x3:abc,", // hex
          ":abc,", // an empty length
          ",", // only a comma
          "3\n:abc,", // a newline inside the length (Twisted lets "12\\n" through)
          "\u0000\u0000\u0000\u0005hello", // a length prefix, not a netstring
          "11:cummingsify,", // a well-formed netstring without a '.': no transform named
          "11:nosuch.poem,", // an unknown transform
          "9:fail.poem,"); // the transform that always fails

  /**
   * The server's frame timeout: long, so that an illegal request closed at once (even on a loaded
   * machine) is told apart from one left to the timeout.
   */
  static final double FRAME_TIMEOUT = 30;

  private TestEnv env;
  private TestEnv.Server server;
  private int port;

  @BeforeEach
  void startServer() {
    env = TestEnv.redirected();
    server = env.start("transform-server", "--frame-timeout", Double.toString(FRAME_TIMEOUT));
    port =
        ServerCommandsTest.port(server.banner(), "Transforming poems on 127\\.0\\.0\\.1:(\\d+) .*");
  }

  @AfterEach
  void stopServer() {
    assertThat(server.stop()).isZero();
  }

  static byte[] netstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return (b.length + ":" + s + ",").getBytes(StandardCharsets.UTF_8);
  }

  /** Sends a well-formed request and checks the reply. */
  private Deferred<Void> wellFormed(Reactor reactor, String poem) {
    RawClient c = RawClient.connect(reactor, port, netstring("cummingsify." + poem));
    return c.ended.addCallback(
        end -> {
          assertThat(end).isInstanceOf(ConnectionDone.class);
          assertThat(c.received.toString(StandardCharsets.UTF_8))
              .isEqualTo(
                  new String(
                      netstring(poem.toLowerCase(java.util.Locale.ROOT)), StandardCharsets.UTF_8));
          return null;
        });
  }

  @Test
  void eachIllegalRequestIsClosedWithoutAReplyAndTheServerKeepsServing(
      Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              Async.await(wellFormed(reactor, "Before the storm"));
              for (String illegal : ILLEGAL) {
                double start = reactor.seconds();
                RawClient c =
                    RawClient.connect(reactor, port, illegal.getBytes(StandardCharsets.UTF_8));
                ConnectionEnd end = Async.await(c.ended);
                assertThat(reactor.seconds() - start)
                    .as("closed at once, not at the frame timeout: %s", illegal)
                    .isLessThan(FRAME_TIMEOUT / 2);
                assertThat(c.received.size()).as("reply to %s", illegal).isZero();
                // A clean close, or a reset when the server closed with bytes still unread.
                assertThat(end)
                    .as("end for %s", illegal)
                    .isInstanceOfAny(ConnectionDone.class, ConnectionLost.class);
                Async.await(wellFormed(reactor, "Between " + illegal.length()));
              }
              return null;
            }));
  }

  @Test
  void illegalAndWellFormedRequestsAtOnceOnlyTheWellFormedAreAnswered(
      Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              List<RawClient> illegal = new ArrayList<>();
              List<Deferred<Void>> good = new ArrayList<>();
              for (int round = 0; round < 10; round++) {
                for (String s : ILLEGAL) {
                  illegal.add(RawClient.connect(reactor, port, s.getBytes(StandardCharsets.UTF_8)));
                }
                good.add(wellFormed(reactor, "Round " + round + " ÉTÉ"));
              }
              for (Deferred<Void> g : good) {
                Async.await(g);
              }
              for (RawClient c : illegal) {
                Async.await(c.ended);
                assertThat(c.received.size()).isZero();
              }
              Async.await(wellFormed(reactor, "After"));
              return null;
            }));
  }
}
