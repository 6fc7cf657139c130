package dev.braid.tls;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Producer;
import dev.braid.net.Protocol;
import dev.braid.net.PullProducer;
import dev.braid.net.PushProducer;
import dev.braid.net.Transport;
import dev.braid.tls.TlsException.Kind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * TLS between a transport and a protocol, on the JDK's {@link SSLEngine}: Twisted's {@code
 * TLSMemoryBIOProtocol}. To the transport below ({@link #lower}) it is a {@link Protocol} that
 * receives ciphertext; to the protocol above ({@link #upper}) it gives a {@link TlsTransport} that
 * takes plaintext.
 *
 * <h2>How the engine is driven</h2>
 *
 * Everything happens on the reactor thread, without copies where the engine allows: received bytes
 * are unwrapped straight from the array the transport handed over (only a partial record is kept,
 * at most one record long); written bytes are wrapped straight from the caller's array, one record
 * at a time, each record handed to the transport as its own array. {@link #drive()} runs the engine
 * until it needs more input: delegated tasks inline, handshake wraps, unwraps, and the checks that
 * come with them (handshake finished, renegotiation, close_notify).
 *
 * <h2>Re-entrancy</h2>
 *
 * The protocol above may do anything from {@code dataReceived} or {@code makeConnection}: write,
 * close, abort, pause, resume. {@link #process()} does not nest: a call from inside sets {@link
 * #reprocess} and the running loop goes round again. Plaintext is copied out and the buffer cleared
 * before the protocol sees it, so nothing the protocol does can disturb a buffer in use.
 *
 * <p>Threading: reactor thread only.
 */
final class TlsLayer implements TlsProtocol {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
  private static final int FIRST_BYTES = 8;

  /** Told how a connection wrapped from the start went; used by the factories and endpoints. */
  interface Listener {
    Listener NONE = new Listener() {};

    /**
     * The connection ended. {@code handshakeFailure} is the reason if TLS was on and the handshake
     * never finished (the protocol above was then never connected), else null.
     */
    default void ended(TlsLayer layer, TlsException handshakeFailure, ConnectionEnd reason) {}
  }

  private final Clock clock;
  private final Protocol upper;
  private final Listener listener;
  private final Upper transport = new Upper();
  private final List<Deferred<TlsTransport>> handshakeWaiters = new ArrayList<>();
  private TlsOptions options;
  private Transport lower;
  private SSLEngine engine;
  private String peerName = "?";
  private boolean upperConnected;
  private boolean handshakeDone;
  private DelayedCall deadline;

  /** Received ciphertext not yet unwrapped (read mode), or null. */
  private ByteBuffer netIn;

  /** Plaintext unwrapped and not yet delivered (write mode), or null. */
  private ByteBuffer appIn;

  /** Ciphertext wrapped and not yet written (write mode), or null. */
  private ByteBuffer netOut;

  private final ArrayDeque<byte[]> pendingWrites = new ArrayDeque<>();
  private byte[] firstBytes = new byte[0];
  private boolean disconnecting;
  private boolean aborted;
  private boolean closeNotifySent;
  private boolean closeNotifyReceived;
  private boolean lowerClosing;
  private boolean lost;
  private TlsException failure;
  private Producer producer;
  private Membrane membrane;
  private boolean readingPaused;
  private boolean processing;
  private boolean reprocess;

  /**
   * @param options the options to start TLS with at {@code makeConnection}, or null to start in
   *     plaintext and wait for {@link TlsTransport#startTls}
   */
  TlsLayer(Clock clock, Protocol upper, TlsOptions options, Listener listener) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.upper = Objects.requireNonNull(upper, "protocol");
    this.options = options;
    this.listener = listener;
  }

  // ---------------------------------------------------------------------------------------------
  // TlsProtocol

  @Override
  public Deferred<TlsTransport> handshake() {
    if (handshakeDone && !lost) {
      return Deferred.succeed(transport);
    }
    Deferred<TlsTransport> waiter = Deferred.create();
    if (lost) {
      waiter.errback(failure != null ? failure : new ConnectionLost("Connection closed", null));
    } else {
      handshakeWaiters.add(waiter);
    }
    return waiter;
  }

  @Override
  public Protocol wrappedProtocol() {
    return upper;
  }

  /** Received ciphertext held, not yet decrypted: a partial record (for the fuzz tests' bound). */
  int bufferedCiphertext() {
    return netIn == null ? 0 : netIn.remaining();
  }

  /** Resets the connection below, as if the peer had: how a cancelled connect attempt ends. */
  void abortBelow() {
    if (lower != null && !lost) {
      cancelDeadline();
      closeLower(true);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Protocol: events from the transport below

  @Override
  public void makeConnection(Transport lowerTransport) {
    this.lower = Objects.requireNonNull(lowerTransport, "transport");
    if (options == null) {
      upperConnected = true;
      upper.makeConnection(transport);
      return;
    }
    engine = Engines.create(options, lower.getPeer());
    startHandshake();
  }

  @Override
  public void dataReceived(byte[] data) {
    if (lost || aborted) {
      return;
    }
    if (engine == null) {
      upper.dataReceived(data);
      return;
    }
    if (!handshakeDone && firstBytes.length < FIRST_BYTES) {
      int n = Math.min(FIRST_BYTES - firstBytes.length, data.length);
      byte[] more = Arrays.copyOf(firstBytes, firstBytes.length + n);
      System.arraycopy(data, 0, more, firstBytes.length, n);
      firstBytes = more;
    }
    if (failure != null) {
      return; // closing: what follows a fatal error is not read
    }
    if (netIn == null || !netIn.hasRemaining()) {
      netIn = ByteBuffer.wrap(data);
    } else {
      ByteBuffer merged = ByteBuffer.allocate(netIn.remaining() + data.length);
      merged.put(netIn).put(data).flip();
      netIn = merged;
    }
    process();
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    if (lost) {
      return;
    }
    lost = true;
    cancelDeadline();
    ConnectionEnd toUpper = reason;
    TlsException handshakeFailure = null;
    if (engine != null) {
      toUpper = tlsEnd(reason);
      if (!handshakeDone) {
        handshakeFailure = failure;
      }
      engine.closeOutbound();
    }
    netIn = null;
    appIn = null;
    netOut = null;
    pendingWrites.clear();
    Producer p = producer;
    Membrane m = membrane;
    producer = null;
    membrane = null;
    if (p != null && !m.stopped()) {
      p.stopProducing(); // unregistered from below when closing began, so stopped here
    }
    try {
      if (upperConnected) {
        upper.connectionLost(toUpper);
      }
    } finally {
      List<Deferred<TlsTransport>> waiters = List.copyOf(handshakeWaiters);
      handshakeWaiters.clear();
      Throwable why = failure != null ? failure : toUpper;
      for (Deferred<TlsTransport> waiter : waiters) {
        waiter.errback(why);
      }
      listener.ended(this, handshakeFailure, toUpper);
    }
  }

  /** How a TLS connection ended, as the protocol above should hear it. */
  private ConnectionEnd tlsEnd(ConnectionEnd reason) {
    if (!closeNotifyReceived) {
      try {
        engine.closeInbound();
      } catch (SSLException truncated) {
        // expected without the peer's close_notify; classified below
      }
    }
    if (failure != null) {
      return new ConnectionLost(failure.getMessage(), failure);
    }
    if (aborted) {
      return reason;
    }
    if (!handshakeDone) {
      String detail = reason instanceof ConnectionLost ? " (" + reason.getMessage() + ")" : "";
      String when = firstBytes.length == 0 ? "before sending anything" : "during the handshake";
      failure =
          Failures.create(
              Kind.CLOSED_DURING_HANDSHAKE,
              peerName,
              false,
              "the " + peerRole() + " closed the connection " + when + detail,
              reason);
      return new ConnectionLost(failure.getMessage(), failure);
    }
    if (closeNotifyReceived) {
      return reason instanceof ConnectionDone ? reason : new ConnectionDone();
    }
    if (closeNotifySent || reason instanceof ConnectionLost) {
      return reason;
    }
    failure =
        Failures.create(
            Kind.TRUNCATED,
            peerName,
            true,
            "the "
                + peerRole()
                + " closed the connection without close_notify; what arrived may be truncated",
            null);
    return new ConnectionLost(failure.getMessage(), failure);
  }

  // ---------------------------------------------------------------------------------------------
  // The engine

  private void startHandshake() {
    peerName = describePeer();
    deadline = clock.callLater(options.handshakeTimeout(), this::handshakeTimedOut);
    try {
      engine.beginHandshake();
    } catch (SSLException e) {
      fail(e);
      return;
    }
    process();
  }

  /** Runs the engine until it needs more input; never nests (see the class comment). */
  private void process() {
    if (processing) {
      reprocess = true;
      return;
    }
    processing = true;
    try {
      do {
        reprocess = false;
        drive();
      } while (reprocess && !stopped());
    } catch (SSLException e) {
      fail(e);
    } finally {
      processing = false;
    }
    compactNetIn();
  }

  private boolean stopped() {
    return lost || aborted || failure != null;
  }

  private void drive() throws SSLException {
    while (!stopped()) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        runTasks();
        continue;
      }
      if (status == HandshakeStatus.NEED_WRAP) {
        if (!wrapHandshake()) {
          break;
        }
        continue;
      }
      if (!handshakeDone && status == HandshakeStatus.NOT_HANDSHAKING) {
        handshakeFinished(); // the engine finished without reporting FINISHED (after a task)
        continue;
      }
      if (handshakeDone && (readingPaused || disconnecting)) {
        break;
      }
      if (netIn == null || !netIn.hasRemaining()) {
        break;
      }
      if (!unwrap()) {
        break;
      }
    }
    deliver();
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  /** One handshake wrap; false if it made no progress (nothing to do until input arrives). */
  private boolean wrapHandshake() throws SSLException {
    ensureNetOut();
    SSLEngineResult result = engine.wrap(EMPTY, netOut);
    switch (result.getStatus()) {
      case BUFFER_OVERFLOW -> {
        growNetOut();
        return true;
      }
      case CLOSED -> {
        flushNetOut();
        if (result.bytesProduced() == 0) {
          return false;
        }
      }
      default -> flushNetOut();
    }
    if (result.getHandshakeStatus() == HandshakeStatus.FINISHED) {
      handshakeFinished();
    }
    return result.bytesProduced() > 0 || result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
  }

  /** One unwrap; false when the loop should stop (needs more input, closed, failed). */
  private boolean unwrap() throws SSLException {
    ensureAppIn();
    SSLEngineResult result = engine.unwrap(netIn, appIn);
    switch (result.getStatus()) {
      case BUFFER_UNDERFLOW -> {
        return false;
      }
      case BUFFER_OVERFLOW -> {
        if (appIn.position() > 0 && upperConnected) {
          deliver();
        } else {
          appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
        }
        return true;
      }
      case CLOSED -> {
        deliver();
        if (engine.isInboundDone()) {
          peerClosed();
        }
        return false;
      }
      case OK -> {}
    }
    HandshakeStatus after = result.getHandshakeStatus();
    if (after == HandshakeStatus.FINISHED) {
      handshakeFinished();
    } else if (handshakeDone
        && after != HandshakeStatus.NOT_HANDSHAKING
        && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
      deliver();
      fail(
          Failures.create(
              Kind.RENEGOTIATION_REFUSED,
              peerName,
              true,
              "the " + peerRole() + " tried to renegotiate; Braid refuses renegotiation",
              null));
      return false;
    }
    deliver();
    return result.bytesConsumed() > 0
        || result.bytesProduced() > 0
        || after != HandshakeStatus.NEED_UNWRAP;
  }

  private void handshakeFinished() {
    if (handshakeDone) {
      return;
    }
    handshakeDone = true;
    cancelDeadline();
    if (!pendingWrites.isEmpty()) {
      List<byte[]> writes = List.copyOf(pendingWrites);
      pendingWrites.clear();
      for (byte[] data : writes) {
        encrypt(data);
      }
    }
    if (membrane != null) {
      membrane.hold(false);
    }
    if (!upperConnected) {
      upperConnected = true;
      upper.makeConnection(transport);
    }
    List<Deferred<TlsTransport>> waiters = List.copyOf(handshakeWaiters);
    handshakeWaiters.clear();
    for (Deferred<TlsTransport> waiter : waiters) {
      waiter.callback(transport);
    }
    if (disconnecting && !aborted && producer == null && !lost) {
      shutdownTls();
    }
  }

  /** Hands decrypted bytes to the protocol above (if it is connected; else they wait). */
  private void deliver() {
    if (appIn == null || appIn.position() == 0 || !upperConnected) {
      return;
    }
    if (aborted || lost) {
      appIn.clear();
      return;
    }
    appIn.flip();
    byte[] data = new byte[appIn.remaining()];
    appIn.get(data);
    appIn.clear();
    upper.dataReceived(data);
  }

  /** The peer's close_notify arrived: answer it and close. */
  private void peerClosed() {
    closeNotifyReceived = true;
    if (!handshakeDone) {
      fail(
          Failures.create(
              Kind.CLOSED_DURING_HANDSHAKE,
              peerName,
              false,
              "the " + peerRole() + " closed TLS during the handshake",
              null));
      return;
    }
    cancelDeadline();
    sendCloseNotify();
    closeLower(false);
  }

  /** Everything written has gone out: send close_notify and close the connection. */
  private void shutdownTls() {
    if (closeNotifySent || lost) {
      return;
    }
    sendCloseNotify();
    closeLower(false);
  }

  private void sendCloseNotify() {
    if (closeNotifySent) {
      return;
    }
    closeNotifySent = true;
    engine.closeOutbound();
    try {
      wrapUntilNothing();
    } catch (SSLException e) {
      // the alert could not be made; the connection closes anyway
    }
  }

  /** Wraps what the engine has to send by itself (alerts, close_notify) and writes it. */
  private void wrapUntilNothing() throws SSLException {
    for (int i = 0; i < 16; i++) {
      ensureNetOut();
      SSLEngineResult result = engine.wrap(EMPTY, netOut);
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        flushNetOut();
        growNetOut();
        continue;
      }
      flushNetOut();
      if (result.bytesProduced() == 0) {
        return;
      }
    }
  }

  private void fail(SSLException error) {
    fail(Failures.classify(error, isClient(), peerName, handshakeDone, firstBytes));
  }

  /** A fatal TLS error: send the engine's alert and close; the reason is told at close. */
  private void fail(TlsException why) {
    if (failure != null || lost) {
      return;
    }
    failure = why;
    pendingWrites.clear();
    if (appIn != null) {
      appIn.clear();
    }
    netIn = null;
    if (engine != null) {
      engine.closeOutbound();
      try {
        wrapUntilNothing();
      } catch (SSLException | RuntimeException e) {
        // the engine is past sending an alert
      }
    }
    closeLower(false);
  }

  private void handshakeTimedOut() {
    deadline = null;
    if (lost) {
      return;
    }
    if (failure == null) {
      failure =
          Failures.create(
              Kind.HANDSHAKE_TIMEOUT,
              peerName,
              false,
              "the handshake did not finish within " + Clock.describe(options.handshakeTimeout()),
              null);
    }
    closeLower(true);
  }

  /**
   * Closes the transport below: cleanly (what was written goes out first) or with a reset. The
   * protocol's producer is unregistered from it first, so a clean close does not wait for it.
   */
  private void closeLower(boolean abort) {
    if (lost) {
      return;
    }
    if (lowerClosing && !abort) {
      return;
    }
    boolean first = !lowerClosing;
    lowerClosing = true;
    if (first && membrane != null) {
      lower.unregisterProducer();
    }
    if (abort) {
      lower.abortConnection();
    } else {
      lower.loseConnection();
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      if (deadline.active()) {
        deadline.cancel();
      }
      deadline = null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private void write(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (lost || aborted || data.length == 0) {
      return;
    }
    if (engine == null) {
      lower.write(data);
      return;
    }
    if (failure != null || closeNotifySent) {
      return;
    }
    if (!handshakeDone) {
      pendingWrites.add(data);
      return;
    }
    encrypt(data);
  }

  private void encrypt(byte[] data) {
    ByteBuffer src = ByteBuffer.wrap(data);
    boolean retried = false;
    while (src.hasRemaining() && !stopped()) {
      SSLEngineResult result;
      try {
        ensureNetOut();
        result = engine.wrap(src, netOut);
      } catch (SSLException e) {
        fail(e);
        return;
      }
      switch (result.getStatus()) {
        case BUFFER_OVERFLOW -> {
          if (netOut.position() > 0) {
            flushNetOut();
          } else {
            growNetOut();
          }
          continue;
        }
        case CLOSED -> {
          flushNetOut();
          return;
        }
        default -> flushNetOut();
      }
      if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
        retried = false;
      } else if (!retried) {
        retried = true;
        process(); // the engine wants to handshake first (a TLS 1.3 key update)
      } else {
        fail(
            Failures.create(
                Kind.PROTOCOL_ERROR, peerName, true, "the engine would not encrypt", null));
        return;
      }
    }
    if (!stopped() && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      process();
    }
  }

  private void flushNetOut() {
    if (netOut == null || netOut.position() == 0 || lost) {
      if (netOut != null) {
        netOut.clear();
      }
      return;
    }
    byte[] record = Arrays.copyOf(netOut.array(), netOut.position());
    netOut.clear();
    lower.write(record);
  }

  // ---------------------------------------------------------------------------------------------
  // Buffers

  private void ensureAppIn() {
    if (appIn == null) {
      appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }
  }

  private void ensureNetOut() {
    if (netOut == null) {
      netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }
  }

  private void growNetOut() {
    netOut = grow(netOut, engine.getSession().getPacketBufferSize());
  }

  private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, buffer.capacity() * 2));
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  /** Keeps a partial record in an array of its own size, not in the large one it came in. */
  private void compactNetIn() {
    if (netIn == null) {
      return;
    }
    if (!netIn.hasRemaining()) {
      netIn = null;
    } else if (netIn.position() > 0 && netIn.capacity() > 2 * netIn.remaining()) {
      netIn = ByteBuffer.allocate(netIn.remaining()).put(netIn).flip();
    }
  }

  // ---------------------------------------------------------------------------------------------

  private boolean isClient() {
    return options instanceof TlsClientOptions;
  }

  private String peerRole() {
    return isClient() ? "server" : "client";
  }

  private String describePeer() {
    InetSocketAddress address = lower.getPeer();
    String where =
        address == null
            ? "?"
            : (address.getAddress() != null
                    ? (address.getAddress() instanceof java.net.Inet6Address
                        ? "[" + address.getAddress().getHostAddress() + "]"
                        : address.getAddress().getHostAddress())
                    : address.getHostString())
                + ":"
                + address.getPort();
    if (options instanceof TlsClientOptions client
        && client.host() != null
        && !where.startsWith(client.host() + ":")
        && !where.startsWith("[" + client.host() + "]:")) {
      return client.host() + " (" + where + ")";
    }
    return where;
  }

  @Override
  public String toString() {
    return "TLS[" + upper + " over " + lower + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Producers

  /** The protocol's producer as registered below, paused by the transport or by the handshake. */
  private sealed interface Membrane permits PushMembrane, PullMembrane {
    void hold(boolean held);

    boolean stopped();
  }

  private static final class PushMembrane implements PushProducer, Membrane {
    private final PushProducer producer;
    private boolean pausedBelow;
    private boolean held;
    private boolean paused;
    private boolean stopped;

    PushMembrane(PushProducer producer) {
      this.producer = producer;
    }

    @Override
    public void pauseProducing() {
      pausedBelow = true;
      update();
    }

    @Override
    public void resumeProducing() {
      pausedBelow = false;
      update();
    }

    @Override
    public void stopProducing() {
      stopped = true;
      producer.stopProducing();
    }

    @Override
    public void hold(boolean h) {
      held = h;
      update();
    }

    @Override
    public boolean stopped() {
      return stopped;
    }

    private void update() {
      boolean pause = pausedBelow || held;
      if (pause != paused && !stopped) {
        paused = pause;
        if (pause) {
          producer.pauseProducing();
        } else {
          producer.resumeProducing();
        }
      }
    }
  }

  private static final class PullMembrane implements PullProducer, Membrane {
    private final PullProducer producer;
    private boolean held;
    private boolean wanted;
    private boolean stopped;

    PullMembrane(PullProducer producer) {
      this.producer = producer;
    }

    @Override
    public void resumeProducing() {
      if (held) {
        wanted = true;
      } else if (!stopped) {
        producer.resumeProducing();
      }
    }

    @Override
    public void stopProducing() {
      stopped = true;
      producer.stopProducing();
    }

    @Override
    public void hold(boolean h) {
      held = h;
      if (!h && wanted && !stopped) {
        wanted = false;
        producer.resumeProducing();
      }
    }

    @Override
    public boolean stopped() {
      return stopped;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The transport the protocol above sees

  private final class Upper implements TlsTransport {
    @Override
    public void write(byte[] data) {
      TlsLayer.this.write(data);
    }

    @Override
    public void writeSequence(List<byte[]> data) {
      int total = 0;
      for (byte[] piece : data) {
        total += piece.length;
      }
      if (total <= 16 * 1024 && data.size() > 1) {
        byte[] joined = new byte[total];
        int at = 0;
        for (byte[] piece : data) {
          System.arraycopy(piece, 0, joined, at, piece.length);
          at += piece.length;
        }
        TlsLayer.this.write(joined); // one record, not one per piece
      } else {
        for (byte[] piece : data) {
          TlsLayer.this.write(piece);
        }
      }
    }

    @Override
    public void loseConnection() {
      if (disconnecting || lost) {
        return;
      }
      disconnecting = true;
      if (engine == null) {
        lower.loseConnection();
        return;
      }
      if (failure != null || !handshakeDone) {
        return; // closing already, or after the handshake (handshakeFinished checks)
      }
      if (producer == null) {
        shutdownTls();
      }
    }

    @Override
    public void abortConnection() {
      if (lost) {
        return;
      }
      aborted = true;
      disconnecting = true;
      pendingWrites.clear();
      cancelDeadline();
      closeLower(true);
    }

    @Override
    public boolean isDisconnecting() {
      return disconnecting || lost;
    }

    @Override
    public InetSocketAddress getPeer() {
      return lower.getPeer();
    }

    @Override
    public InetSocketAddress getHost() {
      return lower.getHost();
    }

    @Override
    public void registerProducer(Producer newProducer) {
      Objects.requireNonNull(newProducer, "producer");
      if (producer != null) {
        throw new IllegalStateException(
            "a producer is already registered: " + producer + "; unregister it first");
      }
      if (lost || lowerClosing) {
        newProducer.stopProducing();
        return;
      }
      Membrane m =
          switch (newProducer) {
            case PushProducer push -> new PushMembrane(push);
            case PullProducer pull -> new PullMembrane(pull);
          };
      producer = newProducer;
      membrane = m;
      if (engine != null && !handshakeDone) {
        m.hold(true);
      }
      lower.registerProducer((Producer) m);
    }

    @Override
    public void unregisterProducer() {
      if (producer == null) {
        return;
      }
      producer = null;
      membrane = null;
      if (!lowerClosing && !lost) {
        lower.unregisterProducer();
      }
      if (disconnecting && engine != null && handshakeDone && !aborted && failure == null) {
        shutdownTls();
      }
    }

    @Override
    public void setTcpNoDelay(boolean noDelay) {
      lower.setTcpNoDelay(noDelay);
    }

    @Override
    public void setTcpKeepAlive(boolean keepAlive) {
      lower.setTcpKeepAlive(keepAlive);
    }

    @Override
    public void pauseProducing() {
      readingPaused = true;
      if (!lost) {
        lower.pauseProducing();
      }
    }

    @Override
    public void resumeProducing() {
      readingPaused = false;
      if (lost) {
        return;
      }
      lower.resumeProducing();
      if (engine != null && netIn != null && netIn.hasRemaining()) {
        process();
      }
    }

    @Override
    public void stopProducing() {
      loseConnection();
    }

    @Override
    public Deferred<TlsTransport> startTls(TlsOptions tlsOptions) {
      Objects.requireNonNull(tlsOptions, "options");
      if (engine != null) {
        throw new IllegalStateException("TLS is already on (or starting) on this connection");
      }
      if (disconnecting || lost) {
        throw new IllegalStateException("cannot start TLS: the connection is closing");
      }
      engine = Engines.create(tlsOptions, lower.getPeer());
      options = tlsOptions;
      Deferred<TlsTransport> done = Deferred.create();
      handshakeWaiters.add(done);
      if (membrane != null) {
        membrane.hold(true);
      }
      startHandshake();
      return done;
    }

    @Override
    public boolean isSecure() {
      return handshakeDone && !lost;
    }

    @Override
    public Optional<SSLSession> session() {
      return handshakeDone ? Optional.of(engine.getSession()) : Optional.empty();
    }

    @Override
    public Optional<String> protocolVersion() {
      return session().map(SSLSession::getProtocol);
    }

    @Override
    public Optional<String> applicationProtocol() {
      if (!handshakeDone) {
        return Optional.empty();
      }
      String name = engine.getApplicationProtocol();
      return name == null || name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    @Override
    public Optional<String> requestedServerName() {
      if (!handshakeDone) {
        return Optional.empty();
      }
      List<SNIServerName> names;
      if (options instanceof TlsClientOptions) {
        names = engine.getSSLParameters().getServerNames();
      } else if (engine.getSession() instanceof ExtendedSSLSession extended) {
        names = extended.getRequestedServerNames();
      } else {
        names = List.of();
      }
      for (SNIServerName name : names) {
        if (name instanceof SNIHostName host) {
          return Optional.of(host.getAsciiName());
        }
      }
      return Optional.empty();
    }

    @Override
    public List<X509Certificate> peerCertificates() {
      if (!handshakeDone) {
        return List.of();
      }
      try {
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : engine.getSession().getPeerCertificates()) {
          chain.add((X509Certificate) c);
        }
        return List.copyOf(chain);
      } catch (SSLPeerUnverifiedException none) {
        return List.of();
      }
    }

    @Override
    public String toString() {
      return "TlsTransport[" + upper + " over " + lower + "]";
    }
  }
}
