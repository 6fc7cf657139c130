package dev.braid.protocols;

/**
 * A protocol that splits its input into frames and can tell whether it is in the middle of one. The
 * {@linkplain Policies#frameDeadline frame deadline} policy uses it to give every frame a time
 * limit from its first byte. Every receiver of this package implements it.
 *
 * <p>Threading: reactor thread only.
 */
public interface Framed {
  /**
   * {@return the offset, in the protocol's framer input, of the first byte of the frame that has
   * started but not yet been received whole, or -1 when no such frame is pending} A new value means
   * a new frame has started.
   */
  long partialFrameStart();
}
