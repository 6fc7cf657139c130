package dev.braid.protocols;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import java.util.Objects;

/**
 * A protocol that receives lines only, with no raw mode and no pausing: Twisted's {@code
 * twisted.protocols.basic.LineOnlyReceiver}. Subclasses implement {@link #lineReceived}; splitting
 * is {@link LineFramer}'s.
 *
 * <h2>Behaviour (spec §20)</h2>
 *
 * <ul>
 *   <li>Lines end with {@code \r\n} and may be 16384 bytes long unless a subclass passes another
 *       {@link LineFormat}. A line of exactly the maximum is accepted.
 *   <li>Before each line, processing stops for good if the transport is disconnecting: the lines
 *       after one that closed the connection are ignored.
 *   <li>Too long: {@link #lineLengthExceeded} is called as soon as the line is certainly longer
 *       than the maximum, which takes only {@code maxLength + 1} bytes for a one-byte delimiter
 *       (where {@link LineReceiver} waits for the maximum plus the delimiter's length). The default
 *       closes the connection. The maximum can be changed on a live receiver with {@link
 *       #setMaxLength} (Twisted's per-instance {@code MAX_LENGTH}).
 * </ul>
 *
 * <p>Where Braid differs from Twisted, so that the outcome never depends on how the input was split
 * into reads: Twisted also rejects a line of exactly the maximum whose multi-byte delimiter is cut
 * by a read boundary; and after a too-long line Twisted drops the rest of that read (when the whole
 * line arrived at once) or calls {@code lineLengthExceeded} again on every read (when it did not).
 * Braid calls it once, with the line's bytes received so far, discards the rest of that line up to
 * its delimiter, and goes on with the next line.
 *
 * <p>Threading: reactor thread only.
 */
public abstract class LineOnlyReceiver implements Protocol, Framed {
  private final ReceiverConnection connection = new ReceiverConnection();
  private final LineFramer framer;
  private LineFormat format;

  /** Uses Twisted's defaults: {@code \r\n}, at most 16384 bytes. */
  protected LineOnlyReceiver() {
    this(LineFormat.crlf());
  }

  /**
   * Uses another delimiter or maximum.
   *
   * @param format the delimiter and maximum line length
   */
  protected LineOnlyReceiver(LineFormat format) {
    this.format = Objects.requireNonNull(format, "format");
    this.framer = LineFramer.create(format);
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
   * Splits {@code data} into lines and calls {@link #lineReceived} for each; see the class comment.
   *
   * @param data the bytes received
   */
  @Override
  public final void dataReceived(byte[] data) {
    framer.append(data);
    while (!connection.isDisconnecting()) {
      byte[] line = framer.next();
      if (line == null) {
        if (framer.error() != null) {
          byte[] seen = framer.currentLine();
          framer.discardLine();
          lineLengthExceeded(seen);
          continue;
        }
        return;
      }
      lineReceived(line);
    }
  }

  /**
   * A line arrived.
   *
   * @param line the line without its delimiter; the array belongs to the receiver
   */
  protected abstract void lineReceived(byte[] line);

  /**
   * A line is longer than the maximum. Closes the connection by default.
   *
   * @param line the line's bytes received so far (without delimiter)
   */
  protected void lineLengthExceeded(byte[] line) {
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
