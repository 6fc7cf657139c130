package dev.braid.bench.net;

import dev.braid.defer.Deferred;
import dev.braid.protocols.NetstringReceiver;

/**
 * The transform server's protocol on Braid, with the wire behaviour of {@code braid-poetry}'s: one
 * netstring request {@code NAME.POEM}, answered with one netstring, then the server closes; an
 * unknown transform or a request without {@code .} closes without a reply. As the real server, it
 * goes through a Deferred ({@code maybeDeferred}, then a callback and an errback). A stand-in until
 * {@code braid-poetry} is on main.
 */
final class BraidTransformProtocol extends NetstringReceiver {
  private boolean answered;

  BraidTransformProtocol() {}

  @Override
  protected void stringReceived(byte[] request) {
    if (answered) {
      return;
    }
    answered = true;
    Deferred.maybeDeferred(() -> transform(request))
        .addCallbacks(
            reply -> {
              sendString(reply);
              transport().loseConnection();
              return null;
            },
            failure -> {
              transport().loseConnection();
              return null;
            });
  }

  private static byte[] transform(byte[] request) {
    byte[] reply = Transforms.answer(request);
    if (reply == null) {
      throw new IllegalArgumentException("bad request");
    }
    return reply;
  }
}
