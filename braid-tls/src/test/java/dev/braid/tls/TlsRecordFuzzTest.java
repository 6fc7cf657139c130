package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.braid.defer.VirtualClock;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Protocol;
import dev.braid.test.ConnectedPair;
import dev.braid.test.StringTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz targets for the TLS wrapper's record handling: whatever bytes a peer sends, in
 * whatever chunks,
 *
 * <ul>
 *   <li>nothing throws out of {@code dataReceived}: bad input ends the connection with a {@link
 *       TlsException} naming the reason;
 *   <li>the layer holds at most one record of ciphertext, whatever length a record header declares;
 *   <li>a handshake made of random bytes never connects the protocol, and a peer that stops
 *       mid-record is cut by the handshake deadline;
 *   <li>after a real handshake, bytes the peer did not encrypt never reach the protocol as data,
 *       and never end the connection cleanly.
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} (every build) each target runs on its checked-in inputs, under
 * {@code src/test/resources/dev/braid/tls/TlsRecordFuzzTestInputs/<target>/}, in a JVM with 64 MiB
 * of heap (this module's {@code fuzz-regression} execution). With {@code JAZZER_FUZZ=1} one target
 * is fuzzed: {@code bench/run-fuzz 5m TlsRecordFuzzTest#serverHandshake}.
 */
class TlsRecordFuzzTest {
  /** The largest TLS record: 2^14 plaintext, 2048 of expansion (TLS 1.2), a 5-byte header. */
  static final int MAX_RECORD = 16384 + 2048 + 5;

  private static final TlsServerOptions SERVER = Certs.server();
  private static final TlsClientOptions CLIENT = Certs.client();

  /** Splits the rest of the input into chunks whose sizes the input chooses (1 to 2048 bytes). */
  private static List<byte[]> chunks(FuzzedDataProvider data) {
    int size = data.consumeInt(1, 2048);
    byte[] rest = data.consumeRemainingAsBytes();
    List<byte[]> chunks = new ArrayList<>();
    for (int at = 0; at < rest.length; ) {
      int end = Math.min(rest.length, at + size);
      chunks.add(Arrays.copyOfRange(rest, at, end));
      at = end;
      size = 1 + (size * 31 + 7) % 2048;
    }
    return chunks;
  }

  /** Records what reaches the protocol. */
  private static final class Upper extends Peer {}

  /** Feeds a fresh layer (server or client) random bytes as the peer's. */
  private static void handshake(FuzzedDataProvider data, boolean server) {
    VirtualClock clock = VirtualClock.create();
    Upper upper = new Upper();
    List<TlsException> failures = new ArrayList<>();
    TlsLayer.Listener listener =
        new TlsLayer.Listener() {
          @Override
          public void ended(TlsLayer layer, TlsException handshakeFailure, ConnectionEnd reason) {
            failures.add(handshakeFailure);
          }
        };
    TlsLayer layer =
        server
            ? new TlsLayer(clock, upper, SERVER, listener)
            : new TlsLayer(clock, upper, CLIENT, listener);
    StringTransport transport =
        StringTransport.withDisconnection()
            .withAddresses(
                new InetSocketAddress("10.0.0.1", 4433), new InetSocketAddress("10.0.0.2", 50000));
    transport.connect(layer);
    for (byte[] chunk : chunks(data)) {
      if (transport.isDisconnecting()) {
        break;
      }
      layer.dataReceived(chunk);
      assertThat(layer.bufferedCiphertext()).isLessThanOrEqualTo(MAX_RECORD);
    }
    if (!transport.isDisconnecting()) {
      clock.advance(TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT_SECONDS); // the deadline cuts it
    }
    if (!transport.isDisconnected()) {
      transport.connectionLost(new dev.braid.net.ConnectionDone()); // it closed after the alert
    }
    assertThat(upper.isConnected()).as("random bytes completed a handshake").isFalse();
    assertThat(upper.reads).isZero();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).isNotNull();
    assertThat(failures.get(0).getMessage()).startsWith("TLS handshake with ");
    assertThat(clock.getDelayedCalls()).isEmpty();
  }

  @FuzzTest(maxDuration = "10m")
  void serverHandshake(FuzzedDataProvider data) {
    handshake(data, true);
  }

  @FuzzTest(maxDuration = "10m")
  void clientHandshake(FuzzedDataProvider data) {
    handshake(data, false);
  }

  @FuzzTest(maxDuration = "10m")
  void recordsAfterTheHandshake(FuzzedDataProvider data) {
    VirtualClock clock = VirtualClock.create();
    Peer server = new Peer();
    Peer client = new Peer();
    TlsProtocol tlsClient = Tls.client(clock, CLIENT, client);
    ConnectedPair<Protocol, TlsProtocol> pair =
        ConnectedPair.builder().clock(clock).connect(Tls.server(clock, SERVER, server), tlsClient);
    pair.flush();
    assertThat(client.isConnected()).isTrue();
    // The network delivers the fuzzer's bytes to the client instead of the server's records.
    for (byte[] chunk : chunks(data)) {
      if (!client.isConnected() || pair.clientTransport().isDisconnecting()) {
        break;
      }
      tlsClient.dataReceived(chunk);
      assertThat(((TlsLayer) tlsClient).bufferedCiphertext()).isLessThanOrEqualTo(MAX_RECORD);
    }
    pair.flush();
    assertThat(client.reads).as("forged records reached the protocol as data").isZero();
    for (ConnectionEnd end : client.lost) {
      assertThat(end).isInstanceOf(ConnectionLost.class);
      assertThat(end.getCause()).isInstanceOf(TlsException.class);
    }
  }
}
