package dev.braid.net;

/**
 * A producer that writes only when asked: Twisted's {@code IPullProducer} ({@code
 * streaming=False}). The transport calls {@link #resumeProducing()} each time its write buffer has
 * drained, and the producer writes one more piece.
 */
public non-sealed interface PullProducer extends Producer {
  /** Write one more piece of data now. */
  void resumeProducing();
}
