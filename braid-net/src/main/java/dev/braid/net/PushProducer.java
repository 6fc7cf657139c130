package dev.braid.net;

/**
 * A producer that writes whenever it has data until told to pause: Twisted's {@code IPushProducer}
 * ({@code streaming=True}). A transport pauses it when its write buffer rises above the high-water
 * mark and resumes it when the buffer drains below the low-water mark.
 *
 * <p>A {@link Transport} is itself a push producer of the bytes it reads: pausing it stops reading
 * from the socket.
 */
public non-sealed interface PushProducer extends Producer {
  /** Stop writing until {@link #resumeProducing()}. */
  void pauseProducing();

  /** Writing may go on. */
  void resumeProducing();
}
