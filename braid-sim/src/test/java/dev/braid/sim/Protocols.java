package dev.braid.sim;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Small protocols for the simulation's tests. */
final class Protocols {
  private Protocols() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Writes a message as soon as it is connected, then closes cleanly. */
  static final class Sender extends BaseProtocol {
    final byte[] message;

    Sender(byte[] message) {
      this.message = message;
    }

    @Override
    protected void connectionMade() {
      transport().write(message);
      transport().loseConnection();
    }
  }

  static Factory sending(String message) {
    return address -> new Sender(bytes(message));
  }

  /** Writes back what it reads. */
  static final class Echo extends BaseProtocol {
    @Override
    public void dataReceived(byte[] data) {
      transport().write(data);
    }
  }

  /**
   * Reads until the end: the bytes on a clean close, the reason on any other; writes {@code
   * request} first, if any. It is its own client factory: a failed attempt fails the Deferred.
   */
  static final class Reader extends BaseProtocol implements ClientFactory {
    final Deferred<byte[]> result = Deferred.create();

    /** The outcome, once fired. */
    Outcome<byte[]> outcome;

    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final byte[] request;
    int reads;

    Reader() {
      this(new byte[0]);
    }

    Reader(byte[] request) {
      this.request = request;
    }

    /** Handles the result's failure, for a test that expects one; returns this reader. */
    Reader expectingFailure() {
      result.addErrback(f -> null);
      return this;
    }

    byte[] value() {
      if (outcome instanceof Outcome.Success<byte[]> s) {
        return s.value();
      }
      throw new AssertionError("not a success: " + outcome);
    }

    Throwable failure() {
      if (outcome instanceof Outcome.Failed<byte[]> f) {
        return f.failure().value();
      }
      throw new AssertionError("not a failure: " + outcome);
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return this;
    }

    @Override
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      fail(reason);
    }

    private void fail(Exception reason) {
      outcome = new Outcome.Failed<>(dev.braid.defer.Failure.of(reason));
      result.errback(reason);
    }

    @Override
    protected void connectionMade() {
      if (request.length > 0) {
        transport().write(request);
      }
    }

    @Override
    public void dataReceived(byte[] data) {
      reads++;
      received.writeBytes(data);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      lostReason = reason;
      if (result.isCalled()) {
        return;
      }
      if (reason instanceof ConnectionDone) {
        outcome = new Outcome.Success<>(received.toByteArray());
        result.callback(received.toByteArray());
      } else {
        fail(reason);
      }
    }

    /** How the connection ended, or null. */
    ConnectionEnd lostReason;

    void transportWrite(byte[] data) {
      if (isConnected()) {
        transport().write(data);
      }
    }

    void pause() {
      transport().pauseProducing();
    }

    void resume() {
      transport().resumeProducing();
    }

    void abort() {
      if (isConnected()) {
        transport().abortConnection();
      }
    }
  }
}
