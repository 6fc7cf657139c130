package dev.braid.reactor;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Transport;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol that records what happens to it, for tests on the test thread: the transport once
 * connected, the bytes received, and the reason the connection ended. Reading the bytes is done on
 * the reactor thread ({@link #received()} through {@link RunningReactor#call}).
 */
class RecordingProtocol extends BaseProtocol {
  final CompletableFuture<Transport> made = new CompletableFuture<>();
  final CompletableFuture<ConnectionEnd> lost = new CompletableFuture<>();
  final AtomicInteger lostCalls = new AtomicInteger();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  volatile boolean insideCloseCall;

  @Override
  protected void connectionMade() {
    made.complete(transport());
  }

  @Override
  public void dataReceived(byte[] data) {
    received.writeBytes(data);
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    if (insideCloseCall) {
      throw new AssertionError("connectionLost called from inside loseConnection/abortConnection");
    }
    lostCalls.incrementAndGet();
    lost.complete(reason);
  }

  /** Closes with {@code close}, checking that connectionLost does not run inside it. */
  void closeWith(Runnable close) {
    insideCloseCall = true;
    try {
      close.run();
    } finally {
      insideCloseCall = false;
    }
  }

  byte[] received() {
    return received.toByteArray();
  }

  Transport awaitTransport() {
    return RunningReactor.get(made);
  }

  ConnectionEnd awaitLost() {
    return RunningReactor.get(lost);
  }
}
