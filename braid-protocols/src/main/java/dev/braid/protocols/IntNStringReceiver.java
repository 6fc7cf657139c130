package dev.braid.protocols;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.util.Objects;

/**
 * A protocol that receives and sends strings prefixed by their length as a big-endian unsigned
 * integer of 1, 2 or 4 bytes: Twisted's {@code twisted.protocols.basic.IntNStringReceiver}. The
 * prefix's size and the maximum received length come from the {@link LengthPrefix} given to the
 * constructor; subclasses implement {@link #stringReceived}; the parsing is {@link
 * LengthPrefixFramer}'s (see there for the format and the security notes).
 *
 * <pre>{@code
 * final class Echo extends IntNStringReceiver {
 *   Echo() {
 *     super(LengthPrefix.int16().withMaxLength(512));
 *   }
 *
 *   @Override
 *   protected void stringReceived(byte[] string) {
 *     sendString(string);
 *   }
 * }
 * }</pre>
 *
 * <h2>Behaviour (spec §20)</h2>
 *
 * <ul>
 *   <li>The maximum received length is {@link LengthPrefix#maxLength()}; the fixed-size receivers
 *       use {@value LengthPrefix#DEFAULT_MAX_LENGTH} bytes unless a subclass passes another.
 *   <li>A declared length above it calls {@link #lengthLimitExceeded} (by default {@code
 *       loseConnection()}) as soon as the prefix is complete; the string is never delivered, even
 *       if complete. As in Twisted, every later read calls it again (the length stays at the head
 *       of the buffer); unlike Twisted, the data of those reads is dropped, not buffered.
 *   <li>The maximum can be changed on a live receiver with {@link #setMaxLength} (Twisted's
 *       per-instance {@code MAX_LENGTH}).
 *   <li>A length of 0 delivers an empty string. {@link #pauseProducing()} stops delivery until
 *       {@link #resumeProducing()}; {@link #isPaused()} tells which (Twisted's {@code paused}).
 *   <li>{@link #sendString} throws {@link StringTooLongException} for a string whose length does
 *       not fit the prefix; the maximum is not checked when sending.
 * </ul>
 *
 * <h2>Why a class hierarchy here</h2>
 *
 * As in Twisted, {@link Int32StringReceiver}, {@link Int16StringReceiver} and {@link
 * Int8StringReceiver} are subclasses of this class that only fix the prefix's size. That puts two
 * abstract classes between user code that extends them and {@link Protocol}, one more than the
 * style guide allows; it is accepted because the subclasses add no behaviour (a constructor each),
 * so every method a user overrides or calls is declared once, here. The alternative, three classes
 * delegating to a shared helper, would have repeated every method and its documentation three
 * times. User code that wants the single level can extend this class directly.
 *
 * <p>Threading: reactor thread only.
 */
public abstract class IntNStringReceiver implements Protocol, PushProducer, Framed {
  private static final byte[] NO_DATA = new byte[0];

  private final ReceiverConnection connection = new ReceiverConnection();
  private final LengthPrefixFramer framer;
  private LengthPrefix prefix;

  /**
   * Uses {@code prefix}'s size and maximum received length (Twisted's {@code structFormat} and
   * {@code MAX_LENGTH}).
   *
   * @param prefix the frame shape
   */
  protected IntNStringReceiver(LengthPrefix prefix) {
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.framer = LengthPrefixFramer.create(prefix);
  }

  /**
   * Keeps the transport and calls {@link #connectionMade()}.
   *
   * @param transport this connection's transport
   */
  @Override
  public final void makeConnection(Transport transport) {
    connection.attach(transport);
    connectionMade();
  }

  /** The connection is up; {@link #transport()} can be used. Does nothing by default. */
  protected void connectionMade() {}

  /**
   * Parses {@code data} and calls {@link #stringReceived} for each complete string; see the class
   * comment.
   *
   * @param data the bytes received; may be empty (to process what is buffered)
   */
  @Override
  public final void dataReceived(byte[] data) {
    framer.append(data);
    while (!connection.isPaused()) {
      byte[] string = framer.next();
      if (string == null) {
        if (framer.error() != null) {
          lengthLimitExceeded(framer.declaredLength());
        }
        return;
      }
      stringReceived(string);
    }
  }

  /**
   * A complete string arrived.
   *
   * @param string the payload; the array belongs to the receiver
   */
  protected abstract void stringReceived(byte[] string);

  /**
   * A peer declared a string longer than the maximum. Closes the connection by default.
   *
   * @param length the declared length
   */
  protected void lengthLimitExceeded(long length) {
    transport().loseConnection();
  }

  /**
   * Sends {@code string} after its length prefix.
   *
   * @param string the payload
   * @throws StringTooLongException if its length does not fit the prefix
   */
  public void sendString(byte[] string) {
    transport().write(prefix.encode(string));
  }

  /** Stops delivering strings and pauses the transport until {@link #resumeProducing()}. */
  @Override
  public void pauseProducing() {
    connection.pause();
  }

  /** Resumes the transport and delivers the strings buffered while paused. */
  @Override
  public void resumeProducing() {
    connection.resume(() -> dataReceived(NO_DATA));
  }

  /** Stops delivering strings and stops the transport for good. */
  @Override
  public void stopProducing() {
    connection.stop();
  }

  /**
   * {@return true while delivery is paused or stopped: after {@link #pauseProducing()} or {@link
   * #stopProducing()}, until {@link #resumeProducing()} (Twisted's {@code paused})}
   */
  public final boolean isPaused() {
    return connection.isPaused();
  }

  /**
   * The connection closed. Does nothing by default.
   *
   * @param reason how it ended
   */
  @Override
  public void connectionLost(ConnectionEnd reason) {}

  /** {@return the frame shape: the prefix size and maximum in use} */
  public final LengthPrefix prefix() {
    return prefix;
  }

  /**
   * Changes the maximum received length, for this receiver only (Twisted's per-instance {@code
   * MAX_LENGTH}); {@link #prefix()} reflects it. It applies from the next parse, to the string
   * being received too: as in Twisted, a string whose length was announced and is above the new
   * maximum is rejected ({@link #lengthLimitExceeded}) when data next arrives.
   *
   * @param maxLength the largest string accepted, in bytes
   * @throws IllegalArgumentException if negative
   */
  public final void setMaxLength(long maxLength) {
    prefix = prefix.withMaxLength(maxLength);
    framer.setMaxLength(maxLength);
  }

  /** {@return how many received bytes are buffered and not yet delivered} */
  public final int buffered() {
    return framer.buffered();
  }

  @Override
  public final long partialFrameStart() {
    return framer.partialFrameStart();
  }

  /**
   * {@return the transport given to {@link #makeConnection}}
   *
   * @throws IllegalStateException before {@link #makeConnection}
   */
  protected final Transport transport() {
    return connection.transport();
  }
}
