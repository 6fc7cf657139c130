package dev.braid.tls;

import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * An {@link SSLContext} built once, on first use, and shared by every copy of a set of options that
 * differ only in what the context does not hold (host name, versions, ALPN, deadline), so they
 * share one session cache too. Thread-safe.
 */
final class ContextCell {
  private final Supplier<SSLContext> build;
  private volatile SSLContext context;

  ContextCell(Supplier<SSLContext> build) {
    this.build = build;
  }

  static ContextCell of(SSLContext ready) {
    ContextCell cell = new ContextCell(() -> ready);
    cell.context = ready;
    return cell;
  }

  SSLContext get() {
    SSLContext c = context;
    if (c == null) {
      synchronized (this) {
        c = context;
        if (c == null) {
          c = build.get();
          context = c;
        }
      }
    }
    return c;
  }
}
