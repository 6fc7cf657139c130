package dev.braid.protocols;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;

/**
 * A protocol that receives and sends netstrings ({@code 5:hello,}): Twisted's {@code
 * twisted.protocols.basic.NetstringReceiver}. Subclasses implement {@link #stringReceived}; the
 * parsing is {@link NetstringFramer}'s (see there for the format and the security notes).
 *
 * <pre>{@code
 * final class Transformer extends NetstringReceiver {
 *   @Override
 *   protected void stringReceived(byte[] request) {
 *     sendString(transform(request));
 *     transport().loseConnection();
 *   }
 * }
 * }</pre>
 *
 * <h2>Behaviour (spec §19)</h2>
 *
 * <ul>
 *   <li>The maximum payload is {@value NetstringFramer#DEFAULT_MAX_LENGTH} bytes unless a subclass
 *       passes another to {@link #NetstringReceiver(int)} or calls {@link #setMaxLength} (Twisted's
 *       per-instance {@code MAX_LENGTH}); it is checked digit by digit, before the colon arrives.
 *   <li>Netstrings are delivered in order, however the input is split. A {@code stringReceived}
 *       that calls {@code loseConnection()} does not stop the other netstrings of the same read, as
 *       in Twisted.
 *   <li>An exception from {@code stringReceived} propagates out of {@link #dataReceived}; the rest
 *       of the input stays buffered and is parsed on the next call.
 *   <li>Bad input (a missing or invalid length, a length above the maximum, a missing comma) calls
 *       {@code transport().loseConnection()} <em>once</em>, and all later input is ignored (Braid's
 *       decision 9; Twisted re-parses its buffer on every later read and closes again each time).
 *       {@link #parseError()} tells what was wrong. Unlike Twisted, {@code 12\n} is rejected at the
 *       {@code \n} (Python's {@code $} let it pass as an incomplete length).
 * </ul>
 *
 * <p>Threading: reactor thread only.
 */
public abstract class NetstringReceiver implements Protocol, Framed {
  private final ReceiverConnection connection = new ReceiverConnection();
  private int maxLength;
  private NetstringFramer framer;
  private boolean broken;

  /** Uses the default maximum, {@value NetstringFramer#DEFAULT_MAX_LENGTH} bytes. */
  protected NetstringReceiver() {
    this(NetstringFramer.DEFAULT_MAX_LENGTH);
  }

  /**
   * Uses another maximum payload length (Twisted's per-class or per-instance {@code MAX_LENGTH}).
   *
   * @param maxLength the largest payload accepted, in bytes
   * @throws IllegalArgumentException if negative
   */
  protected NetstringReceiver(int maxLength) {
    NetstringFramer.checkMaxLength(maxLength);
    this.maxLength = maxLength;
  }

  /**
   * Keeps the transport, resets the parser and calls {@link #connectionMade()}.
   *
   * @param transport this connection's transport
   */
  @Override
  public final void makeConnection(Transport transport) {
    connection.attach(transport);
    this.framer = NetstringFramer.create(maxLength);
    this.broken = false;
    connectionMade();
  }

  /** The connection is up; {@link #transport()} can be used. Does nothing by default. */
  protected void connectionMade() {}

  /**
   * Parses {@code data} and calls {@link #stringReceived} for each complete netstring; see the
   * class comment for errors.
   *
   * @param data the bytes received
   */
  @Override
  public final void dataReceived(byte[] data) {
    if (broken) {
      return;
    }
    framer.appendOwned(data); // the array is ours (Protocol.dataReceived): no copy when possible
    for (byte[] s; (s = framer.next()) != null; ) {
      stringReceived(s);
    }
    if (framer.error() != null) {
      broken = true;
      connection.transport().loseConnection();
    }
  }

  /**
   * A complete netstring arrived.
   *
   * @param string its payload; the array belongs to the receiver
   */
  protected abstract void stringReceived(byte[] string);

  /**
   * Sends {@code string} as a netstring; {@code "hello"} is written as {@code 5:hello,}.
   *
   * @param string the payload
   */
  public void sendString(byte[] string) {
    transport().write(NetstringFramer.encode(string));
  }

  /**
   * The connection closed. Does nothing by default.
   *
   * @param reason how it ended
   */
  @Override
  public void connectionLost(ConnectionEnd reason) {}

  /**
   * {@return why the input was rejected (the parse error that closed the connection), or null while
   * it is valid}
   */
  public final FramingError parseError() {
    return framer == null ? null : framer.error();
  }

  /** {@return the largest payload accepted, in bytes} */
  public final int maxLength() {
    return maxLength;
  }

  /**
   * Changes the largest payload accepted, for this receiver only (Twisted's per-instance {@code
   * MAX_LENGTH}); {@link #maxLength()} reflects it. It applies to the length digits parsed from now
   * on: a netstring whose length has been read whole is not checked again, as in Twisted.
   *
   * @param maxLength the largest payload accepted, in bytes
   * @throws IllegalArgumentException if negative
   */
  public final void setMaxLength(int maxLength) {
    NetstringFramer.checkMaxLength(maxLength);
    this.maxLength = maxLength;
    if (framer != null) {
      framer.setMaxLength(maxLength);
    }
  }

  @Override
  public final long partialFrameStart() {
    return framer == null || broken ? -1 : framer.partialFrameStart();
  }

  /**
   * {@return the transport given to {@link #makeConnection}}
   *
   * @throws IllegalStateException before {@link #makeConnection}
   */
  protected final Transport transport() {
    return connection.transport();
  }

  /** For tests: the framer's expected payload size (length plus comma), or 0. */
  final int expectedPayloadSize() {
    return framer.expectedPayloadSize();
  }
}
