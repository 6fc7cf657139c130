package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.poetry.testing.LoopbackPorts;
import dev.braid.test.RunningReactor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The transform server, client and transform proxy over real loopback sockets. */
@Tag("loopback")
class TransformLoopbackTest {
  static final String POEM = Poems.named("cafe_at_midnight").text();

  static int transformServer(RunningReactor r) {
    return PoetryLoopbackTest.listen(r, TransformServerFactory.create(TransformService.standard()));
  }

  static Throwable failure(Outcome<?> o) {
    assertThat(o).isInstanceOf(Outcome.Failed.class);
    return ((Outcome.Failed<?>) o).failure().value();
  }

  @Test
  void cummingsifyComesBackLowerCased() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = transformServer(r);
      String result =
          r.await(
              () ->
                  TransformProxy.create(r.reactor(), "127.0.0.1", port).xform("cummingsify", POEM));
      assertThat(result).isEqualTo(POEM.toLowerCase(java.util.Locale.ROOT)).contains("são paulo");
    }
  }

  @Test
  void anUnknownTransformFailsTheRequest() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = transformServer(r);
      Throwable e =
          failure(
              r.outcomeOf(
                  () ->
                      TransformProxy.create(r.reactor(), "127.0.0.1", port)
                          .xform("sonnetify", POEM)));
      assertThat(e)
          .isInstanceOf(TransformException.class)
          .hasMessageContaining("closed the connection without a reply");
    }
  }

  @Test
  void theFailTransformFailsTheRequest() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = transformServer(r);
      assertThat(
              failure(
                  r.outcomeOf(
                      () ->
                          TransformProxy.create(r.reactor(), "127.0.0.1", port)
                              .xform("fail", POEM))))
          .isInstanceOf(TransformException.class);
    }
  }

  @Test
  void aTransformServerThatIsDownFailsWithConnectionRefused() {
    int port = LoopbackPorts.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      assertThat(
              failure(
                  r.outcomeOf(
                      () ->
                          TransformProxy.create(r.reactor(), "127.0.0.1", port)
                              .xform("shout", POEM))))
          .isInstanceOf(ConnectionRefusedError.class);
    }
  }

  @Test
  void aTransformServerThatCrashesMidRequestFailsTheRequest() {
    try (RunningReactor r = RunningReactor.start()) {
      int port =
          PoetryLoopbackTest.listen(
              r,
              address ->
                  new BaseProtocol() {
                    @Override
                    public void dataReceived(byte[] data) {
                      transport()
                          .write("99:HALF A RE".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                      transport().abortConnection(); // crash: a reset, mid-reply
                    }
                  });
      assertThat(
              failure(
                  r.outcomeOf(
                      () ->
                          TransformProxy.create(r.reactor(), "127.0.0.1", port)
                              .xform("shout", POEM))))
          .isInstanceOf(TransformException.class)
          .hasMessageContaining("was lost before the reply");
    }
  }

  @Test
  void aTransformProxyForwardsToTheRealServer() {
    try (RunningReactor r = RunningReactor.start()) {
      int real = transformServer(r);
      int proxy =
          PoetryLoopbackTest.listen(
              r,
              TransformServerFactory.create(TransformProxy.create(r.reactor(), "127.0.0.1", real)));
      assertThat(
              r.await(
                  () ->
                      TransformProxy.create(r.reactor(), "127.0.0.1", proxy)
                          .xform("shout", "Brûlée")))
          .isEqualTo("BRÛLÉE");
      assertThat(
              failure(
                  r.outcomeOf(
                      () ->
                          TransformProxy.create(r.reactor(), "127.0.0.1", proxy)
                              .xform("fail", "x"))))
          .isInstanceOf(TransformException.class);
    }
  }
}
