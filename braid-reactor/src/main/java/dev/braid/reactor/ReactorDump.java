package dev.braid.reactor;

import dev.braid.defer.DelayedCall;
import dev.braid.defer.PendingDeferreds;
import dev.braid.net.ListeningPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * "What is this reactor waiting on?": its listening ports, connections, connection attempts and
 * delayed calls, then its {@linkplain PendingDeferreds pending Deferreds} (debug mode), with what
 * each waits on described in the reactor's words (a connection with its bytes and age, a delayed
 * call with its due time).
 *
 * <p>The dump is taken on the reactor thread, where nothing changes under it: a call from another
 * thread hands it over with {@code callFromThread} and waits up to {@link #ANSWER_WITHIN}. A loop
 * that does not answer in time is busy (a callback is blocking it): the dump then says so, shows
 * what the reactor thread is running at that moment, and reads the rest from the calling thread, a
 * picture that may be a moment out of date.
 */
final class ReactorDump {
  /** How long a dump waits for the reactor thread before reading from the calling thread. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

  /** At most this many frames of a busy reactor thread are shown. */
  private static final int BUSY_FRAMES = 25;

  /** What the dump reads from its reactor, copied on the thread that reads it. */
  record Inside(
      String name,
      String state,
      Thread thread,
      long nanoTime,
      List<ListeningPort> ports,
      List<TcpConnector> attempts,
      List<TcpTransport> connections,
      List<DelayedCall> timers) {}

  private final SelectorReactor reactor;

  private ReactorDump(SelectorReactor reactor) {
    this.reactor = reactor;
  }

  /** {@return the dump as text} Any thread. */
  static String text(SelectorReactor reactor) {
    ReactorDump dump = new ReactorDump(reactor);
    return dump.onReactorThread(dump::renderText);
  }

  /** {@return the pending Deferreds as a Graphviz DOT graph} Any thread. */
  static String dot(SelectorReactor reactor) {
    ReactorDump dump = new ReactorDump(reactor);
    return dump.onReactorThread(busy -> dump.renderDot());
  }

  /** A rendering; {@code busy} is null, or what to say first because the loop did not answer. */
  @FunctionalInterface
  private interface Render {
    String render(String busy);
  }

  private String onReactorThread(Render render) {
    if (reactor.isReactorThread() || !reactor.isLooping()) {
      return render.render(null);
    }
    CompletableFuture<String> answer = new CompletableFuture<>();
    reactor.callFromThread(
        () -> {
          reactor.monitor.exemptCurrentCallback(); // a slow dump is not the program's slowness
          try {
            answer.complete(render.render(null));
          } catch (RuntimeException | Error e) {
            answer.completeExceptionally(e);
          }
        });
    try {
      return answer.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return render.render(busy());
    } catch (ExecutionException e) {
      return render.render("(taking the dump on the reactor thread failed: " + e.getCause() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted while waiting for the reactor thread)";
    }
  }

  /** What to say when the loop did not answer: how long it has been busy, and where it is. */
  private String busy() {
    StringBuilder out = new StringBuilder();
    out.append("The reactor thread did not answer within ")
        .append(ANSWER_WITHIN.toSeconds())
        .append(" s: its loop is busy");
    long since = reactor.monitor.busySince();
    if (since != 0) {
      out.append(" and has been for ").append(seconds(System.nanoTime() - since));
    }
    out.append(", so nothing else on this reactor runs. It is running now:\n");
    Thread thread = reactor.inside().thread();
    StackTraceElement[] frames = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, BUSY_FRAMES); i++) {
      out.append("    at ").append(frames[i]).append('\n');
    }
    if (frames.length > BUSY_FRAMES) {
      out.append("    ... ").append(frames.length - BUSY_FRAMES).append(" more\n");
    }
    out.append("The rest was read from another thread and may be a moment out of date.");
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------

  private String renderText(String busy) {
    Inside in = reactor.inside();
    StringBuilder out = new StringBuilder();
    out.append("Reactor ")
        .append(reactor)
        .append(" on thread \"")
        .append(in.name())
        .append("\", up ")
        .append(seconds(in.nanoTime()))
        .append('\n');
    if (busy != null) {
      out.append(busy).append('\n');
    }
    out.append('\n');
    section(out, "Listening ports", in.ports(), port -> port.toString());
    section(out, "Connections", in.connections(), c -> connection(c, in.nanoTime()));
    section(out, "Connection attempts", in.attempts(), a -> "connection attempt to " + a.name());
    List<DelayedCall> timers = new ArrayList<>(in.timers());
    timers.sort(Comparator.comparingDouble(DelayedCall::getTime));
    section(out, "Delayed calls, soonest first", timers, t -> timer(t, in.nanoTime()));
    out.append('\n');
    if (in.thread() == null) {
      out.append("Pending Deferreds: the reactor has not run.");
    } else {
      out.append(PendingDeferreds.of(in.thread()).dump(what -> describe(what, reactor.nanoTime())));
    }
    return out.toString();
  }

  private String renderDot() {
    Inside in = reactor.inside();
    if (in.thread() == null) {
      return "digraph deferreds {\n}\n";
    }
    return PendingDeferreds.of(in.thread()).dot(what -> describe(what, reactor.nanoTime()));
  }

  private interface Line<T> {
    String of(T item);
  }

  private static <T> void section(StringBuilder out, String title, List<T> items, Line<T> line) {
    out.append(title).append(" (").append(items.size()).append(')');
    out.append(items.isEmpty() ? "\n" : ":\n");
    for (T item : items) {
      String text;
      try {
        text = line.of(item);
      } catch (RuntimeException e) {
        text = "(changed while read: " + e + ")";
      }
      out.append("  ").append(text).append('\n');
    }
  }

  /**
   * Describes something a pending Deferred waits on, when it is one of this reactor's: a
   * connection, a connection attempt, a delayed call; null otherwise.
   */
  static String describe(Object what, long now) {
    return switch (what) {
      case TcpTransport connection -> "connection " + connection(connection, now);
      case TcpConnector connector -> {
        TcpTransport connection = connector.connection();
        if (connection != null) {
          yield "connection " + connection(connection, now);
        }
        yield connector.isConnecting()
            ? "connection attempt to " + connector.name() + ", in progress"
            : "connector to " + connector.name() + ", not connected (failed or closed)";
      }
      case TimerQueue.Timer timer -> "delayed call " + timer(timer, now);
      default -> null;
    };
  }

  static String connection(TcpTransport c, long now) {
    StringBuilder out = new StringBuilder(c.toString());
    out.append(": open ").append(seconds(now - c.openedNanos()));
    out.append(", received ").append(bytes(c.bytesReceived()));
    if (c.bytesReceived() > 0) {
      out.append(" (the last ").append(seconds(now - c.lastReceivedNanos())).append(" ago)");
    }
    out.append(", sent ").append(bytes(c.bytesSent()));
    long buffered = c.bufferedBytes();
    if (buffered > 0) {
      out.append(", ").append(bytes(buffered)).append(" waiting to be sent");
    }
    if (c.isReadingPaused()) {
      out.append(", reading paused");
    }
    if (c.isDisconnecting()) {
      out.append(", closing");
    }
    return out.toString();
  }

  static String timer(DelayedCall call, long now) {
    if (!(call instanceof TimerQueue.Timer timer)) {
      return call.toString();
    }
    StringBuilder out = new StringBuilder();
    if (!timer.active()) {
      out.append(timer.cancelled() ? "cancelled" : "called");
    } else if (timer.due <= now) {
      out.append("due now");
    } else {
      out.append("due in ").append(seconds(timer.due - now));
    }
    Runnable function = timer.function;
    if (function != null) {
      out.append(": ").append(TimerQueue.describe(function));
    }
    List<StackTraceElement> site = timer.scheduledAt;
    if (site != null && !site.isEmpty()) {
      out.append(", scheduled at ").append(site(site));
    }
    return out.toString();
  }

  /** The first frame of a scheduling stack and, if that is Braid's own, the first that is not. */
  private static String site(List<StackTraceElement> frames) {
    StackTraceElement first = frames.get(0);
    String text = frame(first);
    if (isBraidCore(first)) {
      for (StackTraceElement frame : frames) {
        if (!isBraidCore(frame)) {
          return text + " from " + frame(frame);
        }
      }
    }
    return text;
  }

  private static boolean isBraidCore(StackTraceElement frame) {
    String cls = frame.getClassName();
    return cls.startsWith("dev.braid.defer.") || cls.startsWith("dev.braid.reactor.");
  }

  private static String frame(StackTraceElement frame) {
    return frame.getClassName()
        + "."
        + frame.getMethodName()
        + "("
        + frame.getFileName()
        + ":"
        + frame.getLineNumber()
        + ")";
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static String bytes(long n) {
    return n == 1 ? "1 byte" : String.format(Locale.ROOT, "%,d bytes", n);
  }
}
