package dev.braid.protocols;

import dev.braid.net.Transport;
import java.util.Objects;

/**
 * What every receiver of this package does the same way with its connection: it keeps the transport
 * given to {@code makeConnection} and hands it out, and the receivers that are push producers
 * ({@link LineReceiver}, {@link IntNStringReceiver}) pause, resume and stop delivery through it
 * (Twisted's {@code _PauseableMixin}). Each receiver holds one and delegates to it, so the
 * receivers stay one class below {@link dev.braid.net.Protocol} (ADR 0012).
 *
 * <p>Threading: reactor thread only.
 */
final class ReceiverConnection {
  private Transport transport;
  private boolean paused;

  /** Keeps {@code transport}; the receiver calls its {@code connectionMade} next. */
  void attach(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  /**
   * Returns the transport given to {@link #attach}.
   *
   * @throws IllegalStateException before {@link #attach}
   */
  Transport transport() {
    if (transport == null) {
      throw new IllegalStateException("not connected yet: makeConnection() has not been called");
    }
    return transport;
  }

  /** Whether the transport is closing; false before {@link #attach}. Receivers stop then. */
  boolean isDisconnecting() {
    return transport != null && transport.isDisconnecting();
  }

  /** Whether delivery is paused: after {@link #pause} or {@link #stop}, until {@link #resume}. */
  boolean isPaused() {
    return paused;
  }

  /** Stops delivery and pauses the transport (Twisted's {@code pauseProducing}). */
  void pause() {
    paused = true;
    transport().pauseProducing();
  }

  /**
   * Resumes the transport, then runs {@code deliverBuffered} so that what arrived while paused is
   * delivered (Twisted's {@code resumeProducing}, which calls {@code dataReceived(b"")}).
   */
  void resume(Runnable deliverBuffered) {
    paused = false;
    transport().resumeProducing();
    deliverBuffered.run();
  }

  /** Stops delivery and stops the transport for good (Twisted's {@code stopProducing}). */
  void stop() {
    paused = true;
    transport().stopProducing();
  }
}
