package dev.braid.reactor;

import dev.braid.defer.Failure;
import dev.braid.defer.UnhandledFailures.UnhandledFailure;
import dev.braid.net.Addresses;
import dev.braid.net.ConnectionEnd;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The reactor's flight-recorder events, under the category "Braid" (see {@code docs/debugging.md}
 * for the commands that record and print them). None costs more than a check of whether it is
 * enabled while no recording asks for it.
 *
 * <ul>
 *   <li>{@code dev.braid.LoopLag}: an iteration of the loop that was busy (not waiting for I/O or a
 *       timer) for longer than its threshold, 20 ms unless the recording says otherwise; whatever
 *       arrived meanwhile waited that long.
 *   <li>{@code dev.braid.SlowCallback}: one callback the loop ran (I/O handling with the protocol's
 *       hooks, a delayed call, a {@code callFromThread} call, the reactor's own work) that took at
 *       least the reactor's {@linkplain SelectorReactor#setSlowCallbackThreshold slow-callback
 *       threshold} (100 ms unless set).
 *   <li>{@code dev.braid.ConnectionOpened} and {@code dev.braid.ConnectionClosed}: a TCP
 *       connection's life, with the bytes it carried and why it ended.
 *   <li>{@code dev.braid.UnhandledAtShutdown}: a failed Deferred still unhandled when its reactor
 *       stopped. (A failure reported because its Deferred was collected is {@code
 *       dev.braid.UnhandledFailure}, recorded by {@code dev.braid.defer}.)
 * </ul>
 */
final class ReactorEvents {
  private static final EventType OPENED = EventType.getEventType(ConnectionOpened.class);
  private static final EventType CLOSED = EventType.getEventType(ConnectionClosed.class);

  private ReactorEvents() {}

  static void connectionOpened(SelectorReactor reactor, TcpTransport connection) {
    if (!OPENED.isEnabled()) {
      return;
    }
    ConnectionOpened event = new ConnectionOpened();
    if (event.shouldCommit()) {
      event.reactor = reactor.monitor.reactorName();
      event.side = connection.isClient() ? "client" : "server";
      event.local = Addresses.describe(connection.getHost());
      event.remote = Addresses.describe(connection.getPeer());
      event.protocol = connection.protocolName();
      event.commit();
    }
  }

  static void connectionClosed(
      SelectorReactor reactor, TcpTransport connection, ConnectionEnd reason) {
    if (!CLOSED.isEnabled()) {
      return;
    }
    ConnectionClosed event = new ConnectionClosed();
    if (event.shouldCommit()) {
      event.reactor = reactor.monitor.reactorName();
      event.side = connection.isClient() ? "client" : "server";
      event.local = Addresses.describe(connection.getHost());
      event.remote = Addresses.describe(connection.getPeer());
      event.protocol = connection.protocolName();
      event.reason = reason.getClass().getSimpleName();
      event.message = reason.getMessage();
      event.bytesReceived = connection.bytesReceived();
      event.bytesSent = connection.bytesSent();
      event.openFor = reactor.nanoTime() - connection.openedNanos();
      event.commit();
    }
  }

  static void unhandledAtShutdown(SelectorReactor reactor, UnhandledFailure unhandled) {
    UnhandledAtShutdown event = new UnhandledAtShutdown();
    if (event.shouldCommit()) {
      Failure failure = unhandled.failure();
      event.reactor = reactor.monitor.reactorName();
      event.exceptionClass = failure.type().getName();
      event.message = failure.getErrorMessage();
      event.commit();
    }
  }

  @Name("dev.braid.LoopLag")
  @Label("Reactor Loop Lag")
  @Category({"Braid", "Reactor"})
  @Description(
      "An iteration of the reactor's loop that was busy, not waiting for I/O or timers, for at"
          + " least the threshold: anything that arrived meanwhile waited at least that long.")
  @Threshold("20 ms")
  @StackTrace(false)
  static final class LoopLag extends Event {
    @Label("Reactor")
    String reactor;
  }

  @Name("dev.braid.SlowCallback")
  @Label("Slow Reactor Callback")
  @Category({"Braid", "Reactor"})
  @Description(
      "A callback run by the reactor's loop that took at least the reactor's slow-callback"
          + " threshold (100 ms unless set): the loop could serve nothing else meanwhile.")
  @StackTrace(false)
  static final class SlowCallback extends Event {
    @Label("Reactor")
    String reactor;

    @Label("Kind")
    @Description("I/O, delayed call, callFromThread call, reactor work or startup call")
    String kind;

    @Label("Callback")
    String callback;

    @Label("Duration")
    @Timespan(Timespan.NANOSECONDS)
    long took;
  }

  @Name("dev.braid.ConnectionOpened")
  @Label("Connection Opened")
  @Category({"Braid", "Reactor"})
  @StackTrace(false)
  static final class ConnectionOpened extends Event {
    @Label("Reactor")
    String reactor;

    @Label("Side")
    @Description("client (connected out) or server (accepted)")
    String side;

    @Label("Local Address")
    String local;

    @Label("Remote Address")
    String remote;

    @Label("Protocol")
    String protocol;
  }

  @Name("dev.braid.ConnectionClosed")
  @Label("Connection Closed")
  @Category({"Braid", "Reactor"})
  @StackTrace(false)
  static final class ConnectionClosed extends Event {
    @Label("Reactor")
    String reactor;

    @Label("Side")
    String side;

    @Label("Local Address")
    String local;

    @Label("Remote Address")
    String remote;

    @Label("Protocol")
    String protocol;

    @Label("Reason")
    @Description("ConnectionDone (a clean close), ConnectionLost, ConnectionAborted")
    String reason;

    @Label("Message")
    String message;

    @Label("Bytes Received")
    @DataAmount
    long bytesReceived;

    @Label("Bytes Sent")
    @DataAmount
    long bytesSent;

    @Label("Open For")
    @Timespan(Timespan.NANOSECONDS)
    long openFor;
  }

  @Name("dev.braid.UnhandledAtShutdown")
  @Label("Unhandled Deferred Failure at Shutdown")
  @Category({"Braid", "Reactor"})
  @Description(
      "A failed Deferred of this reactor's thread still unhandled when the reactor stopped")
  @StackTrace(false)
  static final class UnhandledAtShutdown extends Event {
    @Label("Reactor")
    String reactor;

    @Label("Exception Class")
    String exceptionClass;

    @Label("Message")
    String message;
  }
}
