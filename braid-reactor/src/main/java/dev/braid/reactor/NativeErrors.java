package dev.braid.reactor;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;

/**
 * Turns an {@code errno} into the exception the JDK's channels throw for it, with the same type and
 * message (the C library's text), so that a protocol or a factory is told the same thing on either
 * poller: a read that meets a reset is {@code SocketException: Connection reset}, a write {@code
 * IOException: Connection reset by peer} or {@code Broken pipe}, a refused connection {@code
 * ConnectException: Connection refused} (the JDK's {@code SocketDispatcher.c} and {@code Net.c}'s
 * {@code handleSocketError}).
 */
final class NativeErrors {
  private NativeErrors() {}

  /** {@return what the JDK's {@code SocketChannel.read} throws for {@code errno}} */
  static IOException readFailed(int errno) {
    if (errno == Libc.ECONNRESET || errno == Libc.EPIPE) {
      return new SocketException("Connection reset");
    }
    return new IOException(Libc.strerror(errno));
  }

  /** {@return what the JDK's {@code SocketChannel.write} and {@code accept} throw} */
  static IOException ioFailed(int errno) {
    return new IOException(Libc.strerror(errno));
  }

  /**
   * {@return what the JDK's socket calls (open, bind, connect, options) throw for {@code errno}}
   */
  static IOException socketFailed(int errno) {
    String message = Libc.strerror(errno);
    return switch (errno) {
      case Libc.EPROTO -> new ProtocolException(message);
      case Libc.ECONNREFUSED, Libc.ETIMEDOUT, Libc.ENOTCONN -> new ConnectException(message);
      case Libc.EHOSTUNREACH -> new NoRouteToHostException(message);
      case Libc.EADDRINUSE, Libc.EADDRNOTAVAIL, Libc.EACCES -> new BindException(message);
      default -> new SocketException(message);
    };
  }
}
