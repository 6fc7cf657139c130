package dev.braid.protocols;

/**
 * A protocol that receives and sends strings prefixed by their length as a 4-byte big-endian
 * unsigned integer: Twisted's {@code twisted.protocols.basic.Int32StringReceiver}. Subclasses
 * implement {@link #stringReceived}; everything else, and the behaviour, is {@link
 * IntNStringReceiver}'s with {@link LengthPrefix#int32()} (see there for why this is a subclass).
 *
 * <p>Threading: reactor thread only.
 */
public abstract class Int32StringReceiver extends IntNStringReceiver {
  /** Uses the default maximum, {@value LengthPrefix#DEFAULT_MAX_LENGTH} bytes. */
  protected Int32StringReceiver() {
    this(LengthPrefix.DEFAULT_MAX_LENGTH);
  }

  /**
   * Uses another maximum received length (Twisted's {@code MAX_LENGTH}).
   *
   * @param maxLength the largest string accepted, in bytes
   * @throws IllegalArgumentException if negative
   */
  protected Int32StringReceiver(long maxLength) {
    super(LengthPrefix.int32().withMaxLength(maxLength));
  }
}
