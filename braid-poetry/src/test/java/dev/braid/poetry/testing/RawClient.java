package dev.braid.poetry.testing;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;

/**
 * A test client that sends given bytes when it connects (optionally nothing, or closing its side)
 * and records what comes back and how the connection ended. Reactor thread only.
 */
public final class RawClient extends BaseProtocol {
  /** What it received. */
  public final ByteArrayOutputStream received = new ByteArrayOutputStream();

  /** Fires when connected. */
  public final Deferred<RawClient> connected = Deferred.create();

  /** Fires with how the connection ended (or fails if it could not connect). */
  public final Deferred<ConnectionEnd> ended = Deferred.create();

  private final byte[] send;

  private RawClient(byte[] send) {
    this.send = send;
  }

  /** Connects to 127.0.0.1:{@code port} and sends {@code send} once connected. */
  public static RawClient connect(ReactorTcp reactor, int port, byte[] send) {
    RawClient client = new RawClient(send);
    reactor.connectTCP(
        "127.0.0.1",
        port,
        new ClientFactory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            return client;
          }

          @Override
          public void clientConnectionFailed(Connector connector, ConnectError reason) {
            client.connected.errback(reason);
            client.ended.errback(reason);
          }
        },
        null,
        null);
    return client;
  }

  @Override
  protected void connectionMade() {
    if (send.length > 0) {
      transport().write(send);
    }
    connected.callback(this);
  }

  @Override
  public void dataReceived(byte[] data) {
    received.writeBytes(data);
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    ended.callback(reason);
  }

  /** Writes more bytes, if still connected. */
  public void write(byte[] data) {
    if (isConnected()) {
      transport().write(data);
    }
  }

  /** Stops reading (a client that never reads what the server sends). */
  public void stopReading() {
    transport().pauseProducing();
  }

  /** Reads again after {@link #stopReading()}. */
  public void resumeReading() {
    if (isConnected()) {
      transport().resumeProducing();
    }
  }

  /** Resets the connection. */
  public void abort() {
    if (isConnected()) {
      transport().abortConnection();
    }
  }
}
