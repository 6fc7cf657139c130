package dev.braid.protocols;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import java.util.Objects;

/**
 * A protocol that receives lines, and can switch to raw data and back: Twisted's {@code
 * twisted.protocols.basic.LineReceiver}. Subclasses implement {@link #lineReceived} (and {@link
 * #rawDataReceived} if they use raw mode); splitting is {@link LineFramer}'s.
 *
 * <pre>{@code
 * final class Chat extends LineReceiver {
 *   @Override
 *   protected void lineReceived(byte[] line) {
 *     sendLine(("you said: " + new String(line, UTF_8)).getBytes(UTF_8));
 *   }
 * }
 * }</pre>
 *
 * <h2>Behaviour (spec §20, Twisted's exactly)</h2>
 *
 * <ul>
 *   <li>Lines end with {@link LineFormat#crlf()} ({@code \r\n}; a bare {@code \n} is not a
 *       delimiter) and may be 16384 bytes long, unless a subclass passes another {@link
 *       LineFormat}. A line of exactly the maximum is accepted.
 *   <li>Too long: once the buffer holds the maximum plus the delimiter's length without a
 *       delimiter, or a delimiter ends a longer line, {@link #lineLengthExceeded} is called with
 *       <em>everything buffered</em> (the line, its delimiter and what follows), the buffer is
 *       emptied, and this read ends. The default closes the connection.
 *   <li>After each line, processing stops if the transport is disconnecting; the rest stays
 *       buffered.
 *   <li>{@link #setRawMode()} sends all buffered and later data to {@link #rawDataReceived} until
 *       {@link #setLineMode(byte[])}, which feeds its argument back in. Calls made from inside a
 *       callback only buffer their data, so switching modes never recurses.
 *   <li>{@link #pauseProducing()} stops processing (and pauses the transport) until {@link
 *       #resumeProducing()}, which processes what was buffered; {@link #stopProducing()} stops it
 *       for good. {@link #isPaused()} tells which (Twisted's {@code paused}).
 *   <li>The maximum can be changed on a live receiver with {@link #setMaxLength} (Twisted's
 *       per-instance {@code MAX_LENGTH}).
 *   <li>Twisted lets {@code lineReceived} and {@code rawDataReceived} return a value that stops
 *       processing and drops the connection; in Braid they return nothing and throw instead: the
 *       exception leaves {@link #dataReceived} and the reactor drops the connection.
 * </ul>
 *
 * <p>Threading: reactor thread only.
 */
public abstract class LineReceiver implements Protocol, PushProducer, Framed {
  private static final byte[] NO_DATA = new byte[0];

  private final ReceiverConnection connection = new ReceiverConnection();
  private final LineFramer framer;
  private LineFormat format;
  private boolean lineMode = true;
  private boolean busyReceiving;

  /** Uses Twisted's defaults: {@code \r\n}, at most 16384 bytes. */
  protected LineReceiver() {
    this(LineFormat.crlf());
  }

  /**
   * Uses another delimiter or maximum.
   *
   * @param format the delimiter and maximum line length
   */
  protected LineReceiver(LineFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    this.framer = LineFramer.forLineReceiver(format);
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
   * Splits {@code data} into lines (or passes it on in raw mode); see the class comment.
   *
   * @param data the bytes received; may be empty (to process what is buffered)
   */
  @Override
  public final void dataReceived(byte[] data) {
    framer.append(data);
    if (busyReceiving) {
      return;
    }
    busyReceiving = true;
    try {
      while (framer.buffered() > 0 && !connection.isPaused()) {
        if (lineMode) {
          byte[] line = framer.next();
          if (line == null) {
            if (framer.error() != null) {
              lineLengthExceeded(framer.clear());
            }
            return;
          }
          lineReceived(line);
          if (connection.isDisconnecting()) {
            return;
          }
        } else {
          rawDataReceived(framer.clear());
        }
      }
    } finally {
      busyReceiving = false;
    }
  }

  /**
   * A line arrived.
   *
   * @param line the line without its delimiter; the array belongs to the receiver
   */
  protected abstract void lineReceived(byte[] line);

  /**
   * Data arrived in raw mode. Throws {@link UnsupportedOperationException} by default: override it
   * to use {@link #setRawMode()}.
   *
   * @param data the bytes; the array belongs to the receiver
   */
  protected void rawDataReceived(byte[] data) {
    throw new UnsupportedOperationException(
        getClass().getName() + " switched to raw mode but does not override rawDataReceived");
  }

  /**
   * A line is longer than the maximum. Closes the connection by default.
   *
   * @param buffered everything that was buffered: the long line, and its delimiter and the data
   *     after it if they had arrived
   */
  protected void lineLengthExceeded(byte[] buffered) {
    transport().loseConnection();
  }

  /**
   * Sends {@code line} followed by the delimiter.
   *
   * @param line the line, without delimiter
   */
  public void sendLine(byte[] line) {
    byte[] delimiter = format.delimiterBytes();
    byte[] out = new byte[line.length + delimiter.length];
    System.arraycopy(line, 0, out, 0, line.length);
    System.arraycopy(delimiter, 0, out, line.length, delimiter.length);
    transport().write(out);
  }

  /** Sends all data from now on (buffered data included) to {@link #rawDataReceived}. */
  public final void setRawMode() {
    lineMode = false;
  }

  /**
   * Goes back to lines, then processes {@code extra} as if it had just been received (from inside a
   * callback it is only buffered, after what is already there).
   *
   * @param extra data to process, typically the part of a raw chunk that belongs to the lines
   */
  public final void setLineMode(byte[] extra) {
    lineMode = true;
    if (extra.length > 0) {
      dataReceived(extra);
    }
  }

  /** Goes back to lines. */
  public final void setLineMode() {
    lineMode = true;
  }

  /** {@return true in line mode, false in raw mode} */
  public final boolean isLineMode() {
    return lineMode;
  }

  /**
   * Returns the buffered data that has not been processed yet and empties the buffer; called from
   * {@code lineReceived}, that is the data after the current line.
   *
   * @return the buffered bytes, possibly empty
   */
  public final byte[] clearLineBuffer() {
    return framer.clear();
  }

  /** Stops processing input and pauses the transport until {@link #resumeProducing()}. */
  @Override
  public void pauseProducing() {
    connection.pause();
  }

  /** Resumes the transport and processes the data buffered while paused. */
  @Override
  public void resumeProducing() {
    connection.resume(() -> dataReceived(NO_DATA));
  }

  /** Stops processing input and stops the transport for good. */
  @Override
  public void stopProducing() {
    connection.stop();
  }

  /**
   * {@return true while processing is paused or stopped: after {@link #pauseProducing()} or {@link
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

  /** {@return the line format: the delimiter and maximum in use} */
  public final LineFormat format() {
    return format;
  }

  /**
   * Changes the longest line accepted, for this receiver only (Twisted's per-instance {@code
   * MAX_LENGTH}); {@link #format()} reflects it. It applies from the next check, the line being
   * received included: a buffered line that is now too long is reported when data next arrives.
   *
   * @param maxLength the longest line accepted, delimiter excluded
   * @throws IllegalArgumentException if negative
   */
  public final void setMaxLength(int maxLength) {
    format = format.withMaxLength(maxLength);
    framer.setMaxLength(maxLength);
  }

  /** In line mode, the offset of the first buffered byte; in raw mode -1. */
  @Override
  public final long partialFrameStart() {
    return lineMode ? framer.partialFrameStart() : -1;
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
