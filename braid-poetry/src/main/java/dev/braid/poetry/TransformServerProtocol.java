package dev.braid.poetry;

import dev.braid.defer.CancelledException;
import dev.braid.defer.Deferred;
import dev.braid.net.Addresses;
import dev.braid.net.ConnectionEnd;
import dev.braid.protocols.FramingError;
import dev.braid.protocols.NetstringReceiver;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the transform protocol (the tutorial's {@code TransformProtocol}): reads one
 * netstring {@code NAME.POEM}, asks the {@link Transformer}, replies with one netstring holding the
 * transformed poem and closes. A request without a {@code .}, one longer than {@value
 * TransformServerFactory#MAX_REQUEST_BYTES} bytes, one that is not a netstring or not UTF-8 text,
 * an unknown transform or a failed one closes the connection without a reply, as the original
 * server does; each is logged with its reason through the factory's {@link LogLimiter}. Only the
 * first request of a connection is answered.
 *
 * <p>If the client goes away while the transformer is still working (a {@link TransformProxy}
 * waiting on another server), the transformer's Deferred is cancelled.
 *
 * <p>Threading: reactor thread only.
 */
final class TransformServerProtocol extends NetstringReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(TransformServerProtocol.class);

  private final Transformer transformer;
  private final LogLimiter rejections;
  private boolean answered;
  private boolean connected;
  private Deferred<String> pending;

  TransformServerProtocol(Transformer transformer, LogLimiter rejections) {
    this.transformer = transformer;
    this.rejections = rejections;
  }

  @Override
  protected void connectionMade() {
    connected = true;
  }

  @Override
  protected void stringReceived(byte[] request) {
    if (answered) {
      return;
    }
    answered = true;
    int dot = indexOf(request, (byte) '.');
    if (dot < 0) {
      reject("a request without a '.' between name and poem");
      return;
    }
    String name = utf8(request, 0, dot);
    String poem = utf8(request, dot + 1, request.length - dot - 1);
    if (name == null || poem == null) {
      reject("a request that is not UTF-8 text (transforms work on UTF-8 text only)");
      return;
    }
    if (LOG.isDebugEnabled()) { // peer() formats an address: not on every request
      LOG.debug("{}: {} for a poem of {} bytes", peer(), name, request.length - dot - 1);
    }
    Deferred<String> d = Deferred.maybeDeferredDeferred(() -> transformer.xform(name, poem));
    pending = d;
    d.addCallbacks(
        transformed -> {
          pending = null;
          if (connected) {
            sendString(transformed.getBytes(StandardCharsets.UTF_8));
            transport().loseConnection();
          }
          return null;
        },
        failure -> {
          pending = null;
          if (failure.check(CancelledException.class) == null || connected) {
            String why = failure.getErrorMessage();
            rejections.log(() -> peer() + ": " + why + "; closed without a reply");
          }
          if (connected) {
            transport().loseConnection();
          }
          return null;
        });
  }

  /** Logs why the request is refused (rate-limited) and closes without a reply. */
  private void reject(String what) {
    rejections.log(() -> peer() + ": refused " + what + "; closed without a reply");
    transport().loseConnection();
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    connected = false;
    FramingError error = parseError();
    if (error != null) {
      rejections.log(() -> peer() + ": refused " + describe(error) + "; closed without a reply");
    }
    if (pending != null) {
      Deferred<String> d = pending;
      pending = null;
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: the client left before the reply; cancelling the transform", peer());
      }
      d.cancel();
    }
  }

  /** What was wrong with the bytes, in words, for the log. */
  private String describe(FramingError error) {
    return switch (error.kind()) {
      case LENGTH_TOO_LONG ->
          String.format(
              Locale.ROOT,
              "a request longer than the limit of %,d bytes (NAME.POEM, in UTF-8)",
              maxLength());
      case MISSING_COMMA -> "a request whose netstring does not end with ','";
      case MISSING_LENGTH, LINE_TOO_LONG ->
          "a request that is not a netstring (expected LENGTH:NAME.POEM,)";
    };
  }

  private String peer() {
    return Addresses.describe(transport().getPeer());
  }

  /** The text of the bytes if they are well-formed UTF-8, else null (never U+FFFD). */
  private static String utf8(byte[] bytes, int offset, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
