package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionLost;
import dev.braid.test.FaultyRelay;
import dev.braid.test.IssuedCertificate;
import dev.braid.test.RunningReactor;
import dev.braid.test.TestCa;
import dev.braid.tls.Tls;
import dev.braid.tls.TlsClientOptions;
import dev.braid.tls.TlsException;
import dev.braid.tls.TlsServerOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The poetry server and client over TLS on loopback: a whole poem arrives whole, and a poem cut by
 * a clean TCP close in the middle (what a crashed server's kernel sends) fails its client, where
 * over plain TCP the protocol cannot tell it from the end of the poem.
 */
@Tag("loopback")
class PoetryOverTlsTest {
  private static final TestCa CA = TestCa.create();
  private static final IssuedCertificate SERVER = CA.issue("localhost", "127.0.0.1");

  /** A poem long enough to be cut in the middle: 200,000 bytes, not all alike. */
  private static final byte[] POEM = poem();

  private static byte[] poem() {
    byte[] bytes = new byte[200_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }

  private static int serveOverTls(RunningReactor r) {
    return r.listen(
        Tls.serverFactory(
            r.reactor(),
            TlsServerOptions.of(SERVER.chain(), SERVER.privateKey()),
            PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), r.reactor())));
  }

  private static Dialer tls(RunningReactor r) {
    return Dialer.tls(r.reactor(), TlsClientOptions.defaults().trusting(CA.certificate()));
  }

  private static FaultyRelay cutAfter(RunningReactor r, int port, long bytes) {
    return r.call(
        () ->
            FaultyRelay.start(
                r.reactor(),
                r.reactor(),
                "127.0.0.1",
                port,
                n -> new FaultyRelay.Fault.CloseAfter(bytes)));
  }

  @Test
  void aPoemOverTlsArrivesWhole() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = serveOverTls(r);
      byte[] got =
          r.await(
              () ->
                  PoetryClient.fetch(
                      tls(r), "localhost", port, null, PoetryClientFactory.DEFAULT_MAX_POEM_BYTES));
      assertThat(got).isEqualTo(POEM);
    }
  }

  @Test
  void aTlsPoemCutByACleanCloseIsAFailureNeverAWholePoem() {
    try (RunningReactor r = RunningReactor.start()) {
      FaultyRelay relay = cutAfter(r, serveOverTls(r), 50_000);
      Outcome<byte[]> outcome =
          r.outcomeOf(
              () ->
                  PoetryClient.fetch(
                      tls(r),
                      "127.0.0.1",
                      relay.port(),
                      null,
                      PoetryClientFactory.DEFAULT_MAX_POEM_BYTES));
      assertThat(outcome).isInstanceOf(Outcome.Failed.class);
      Failure failure = ((Outcome.Failed<byte[]>) outcome).failure();
      assertThat(failure.value())
          .isInstanceOf(ConnectionLost.class)
          .hasMessageContaining("without close_notify")
          .hasRootCauseInstanceOf(TlsException.class);
      Throwable root = failure.value();
      while (root.getCause() != null) {
        root = root.getCause();
      }
      assertThat(((TlsException) root).kind()).isEqualTo(TlsException.Kind.TRUNCATED);
      r.await(relay::stop);
    }
  }

  @Test
  void overPlainTcpTheSameCutLooksLikeTheEndOfThePoem() {
    // The contrast, and why TLS's close_notify matters: the poetry protocol ends a poem with a
    // clean close, so a plain client takes the first 50,000 bytes for the whole poem.
    try (RunningReactor r = RunningReactor.start()) {
      int port =
          r.listen(
              PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), r.reactor()));
      FaultyRelay relay = cutAfter(r, port, 50_000);
      byte[] got = r.await(() -> PoetryClient.fetch(r.reactor(), "127.0.0.1", relay.port(), null));
      assertThat(got).isEqualTo(Arrays.copyOf(POEM, 50_000));
      r.await(relay::stop);
    }
  }
}
