package dev.braid.net;

import java.io.IOException;

/**
 * How a connection ended, given to {@link Protocol#connectionLost}: a clean {@link ConnectionDone}
 * or a {@link ConnectionLost} (of which a local {@link ConnectionAborted} is one kind). It is an
 * exception, as in Twisted, so it can fail a Deferred, and a sealed type, so a {@code switch} over
 * it is exhaustive:
 *
 * <pre>{@code
 * switch (reason) {
 *   case ConnectionDone done -> deferred.callback(poem());
 *   case ConnectionLost lost -> deferred.errback(lost);
 * }
 * }</pre>
 */
public abstract sealed class ConnectionEnd extends IOException
    permits ConnectionDone, ConnectionLost {
  private static final long serialVersionUID = 1L;

  ConnectionEnd(String message, Throwable cause) {
    super(message, cause);
  }
}
