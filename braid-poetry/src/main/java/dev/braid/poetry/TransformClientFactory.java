package dev.braid.poetry;

import dev.braid.defer.Deferred;
import dev.braid.net.Addresses;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.protocols.FramingError;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * One transform request (the tutorial's {@code TransformClientFactory}, Part 13). The factory makes
 * its Deferred and is the only one to fire it: with the transformed poem, or with a failure when
 * the connection attempt fails ({@link ConnectError}) or the connection ends without a reply
 * ({@link TransformException}: the server closed it, as it does for an unknown or failed transform,
 * or the connection was lost).
 *
 * <p>Limits: the request, {@code NAME.POEM} in UTF-8, must be at most {@value
 * TransformServerFactory#MAX_REQUEST_BYTES} bytes (the server refuses longer ones without saying
 * why, so {@link #create} refuses them first, saying so); a reply longer than that fails the
 * Deferred with a {@link TransformException} that says so.
 *
 * <p>Cancelling the Deferred closes the connection at once (or stops the attempt). One factory
 * makes one connection. Threading: reactor thread only.
 */
public final class TransformClientFactory implements ClientFactory {
  private final String name;
  private final byte[] request;
  private final Deferred<String> result;
  private Deferred<String> deferred;
  private Connector connector;
  private TransformClientProtocol protocol;

  private TransformClientFactory(String name, byte[] request) {
    this.name = name;
    this.request = request;
    this.result = Deferred.create(self -> cancel());
    this.deferred = result;
  }

  /**
   * Makes the factory of one request.
   *
   * @param name the transform's name; must not contain {@code .}, which ends the name on the wire
   * @param poem the poem's text
   * @return the factory
   * @throws IllegalArgumentException if {@code name} contains a {@code .}, or the request is longer
   *     than {@value TransformServerFactory#MAX_REQUEST_BYTES} bytes (the message says how long it
   *     is and what the limit is)
   */
  public static TransformClientFactory create(String name, String poem) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(poem, "poem");
    if (name.indexOf('.') >= 0) {
      throw new IllegalArgumentException("a transform name cannot contain '.': " + name);
    }
    byte[] request = (name + "." + poem).getBytes(StandardCharsets.UTF_8);
    if (request.length > TransformServerFactory.MAX_REQUEST_BYTES) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "the poem is too long to transform: the request (NAME.POEM, in UTF-8) would be %,d"
                  + " bytes, over the transform protocol's limit of %,d bytes",
              request.length,
              TransformServerFactory.MAX_REQUEST_BYTES));
    }
    return new TransformClientFactory(name, request);
  }

  /** {@return the Deferred of the transformed poem, fired by this factory} */
  public Deferred<String> deferred() {
    return result;
  }

  /** The request's bytes, {@code NAME.POEM} in UTF-8; the protocol sends this array. */
  byte[] request() {
    return request;
  }

  @Override
  public void startedConnecting(Connector connector) {
    this.connector = connector;
  }

  @Override
  public Protocol buildProtocol(InetSocketAddress address) {
    protocol = new TransformClientProtocol(this);
    return protocol;
  }

  void handlePoem(String transformed) {
    if (deferred != null) {
      Deferred<String> d = deferred;
      deferred = null;
      d.callback(transformed);
    }
  }

  /** The reply was not a netstring the client accepts (too long, or malformed). */
  void replyRefused(FramingError error) {
    String server = connector == null ? "the transform server" : describe(connector);
    fail(
        new TransformException(
            error.kind() == FramingError.Kind.LENGTH_TOO_LONG
                ? String.format(
                    Locale.ROOT,
                    "the reply from %s is longer than the transform protocol's limit of %,d bytes",
                    server,
                    TransformServerFactory.MAX_REQUEST_BYTES)
                : "the reply from " + server + " is not a netstring"));
  }

  @Override
  public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
    String server = describe(connector);
    fail(
        reason instanceof ConnectionDone
            ? new TransformException(
                server
                    + " closed the connection without a reply (unknown transform, or the"
                    + " transform failed)")
            : new TransformException(
                "the connection to "
                    + server
                    + " was lost before the reply ("
                    + reason.getMessage()
                    + ")",
                reason));
  }

  @Override
  public void clientConnectionFailed(Connector connector, ConnectError reason) {
    fail(reason);
  }

  private void fail(Exception reason) {
    if (deferred != null) {
      Deferred<String> d = deferred;
      deferred = null;
      d.errback(reason);
    }
  }

  private void cancel() {
    deferred = null;
    if (protocol != null && protocol.isConnected()) {
      protocol.abort();
    } else if (connector != null) {
      connector.disconnect(); // still connecting, or connected below a protocol not told yet (TLS)
    }
  }

  private static String describe(Connector connector) {
    InetSocketAddress d = connector.getDestination();
    return Addresses.hostPort(d.getHostString(), d.getPort());
  }
}
