package dev.braid.sim;

import dev.braid.defer.DelayedCall;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import java.util.ArrayDeque;

/**
 * One direction of a simulated connection, from the end {@code src} to the end {@code dst}: the
 * sender's buffer (bytes written and not yet in the window), the wire (segments in flight, each
 * with the time it arrives), and the receiver's buffer (bytes arrived while the receiver did not
 * read).
 *
 * <p>The window: at most {@value #WINDOW} bytes may be on the wire and in the receiver's buffer
 * together, as the kernels' buffers hold them; the rest waits in the sender's buffer, whose size
 * pauses and resumes the sender's push producer at the water marks. A cut strikes when the bytes
 * that passed reach its count. Threading: the simulation's thread.
 */
final class Flow {
  /** What the kernels' buffers hold in one direction: 64 KiB. */
  static final int WINDOW = 64 * 1024;

  /** The largest segment: whatever the window allows, up to this. */
  static final int MAX_SEGMENT = 64 * 1024;

  private enum Kind {
    SYNACK,
    DATA,
    FIN,
    RST
  }

  private static final class Segment {
    final Kind kind;
    final byte[] data;
    double due;

    Segment(Kind kind, byte[] data, double due) {
      this.kind = kind;
      this.data = data;
      this.due = due;
    }
  }

  private final Connection conn;
  private final Simulation sim;
  final SimTransport src;
  final SimTransport dst;
  private final double latency;

  private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();
  private int outHead;
  private long outBytes;
  private boolean finWanted;

  private final ArrayDeque<Segment> wire = new ArrayDeque<>();
  private long used;
  private double lastDue;
  private DelayedCall pump;
  private boolean transmitScheduled;
  private boolean held;
  private DelayedCall rto;

  private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
  private long inBytes;
  private boolean finArrived;
  private boolean deliveryScheduled;

  private int chunkLimit = MAX_SEGMENT;
  private Connection.Cut cut;
  private long passed;
  private boolean swallowing;

  /** Nothing more goes out: a FIN or a reset was sent, or the connection broke. */
  private boolean done;

  Flow(Connection conn, SimTransport src, SimTransport dst, double latency) {
    this.conn = conn;
    this.sim = conn.sim;
    this.src = src;
    this.dst = dst;
    this.latency = latency;
  }

  void chunks(int limit) {
    this.chunkLimit = limit;
  }

  void cut(Connection.Cut cut) {
    this.cut = cut;
  }

  String direction() {
    return src.host().name() + " -> " + dst.host().name();
  }

  // ---------------------------------------------------------------------------------------------
  // The sender's side

  long outBytes() {
    return outBytes;
  }

  /** The server accepted: the SYN-ACK goes first, ahead of anything the server writes. */
  void sendSynAck() {
    enqueue(Kind.SYNACK, null);
  }

  void write(byte[] data) {
    if (done) {
      return;
    }
    outbox.add(data);
    outBytes += data.length;
    transmit();
  }

  /** The sender asked to close cleanly: a FIN follows the last byte. */
  void closeWhenDrained() {
    finWanted = true;
    transmit();
  }

  /** Sends what the window allows; then the FIN if asked and everything has gone. */
  void transmit() {
    while (!done && outBytes > 0) {
      long room = WINDOW - used;
      if (room <= 0) {
        break;
      }
      int n = (int) Math.min(Math.min(outBytes, room), segmentSize());
      boolean strike = false;
      if (cut != null) {
        long left = cut.after() - passed;
        if (n >= left) {
          n = (int) left;
          strike = true;
        }
      }
      if (n > 0) {
        passed += n;
        sendData(take(n));
      }
      if (strike) {
        strike();
        return;
      }
    }
    if (!done && outBytes == 0 && finWanted && src.producerGone()) {
      sendFin();
      src.finishedClosing();
    }
  }

  /** Sends a reset now, dropping whatever the sender has not sent. */
  void sendReset() {
    if (done) {
      return;
    }
    clearOutbox();
    done = true;
    if (!swallowing) {
      enqueue(Kind.RST, null);
    }
  }

  /** Sends the FIN now, dropping whatever the sender has not sent (a closed socket). */
  void sendFinNow() {
    if (done) {
      return;
    }
    clearOutbox();
    sendFin();
  }

  /**
   * The sender's socket is gone (it was reset): nothing more goes out; what is on the wire goes on.
   */
  void silence() {
    done = true;
    clearOutbox();
  }

  /** The connection broke: nothing more moves in this direction. */
  void stop() {
    done = true;
    clearOutbox();
    wire.clear();
    inbox.clear();
    inBytes = 0;
    finArrived = false;
    if (pump != null && pump.active()) {
      pump.cancel();
    }
    pump = null;
    unhold();
  }

  private void sendData(byte[] data) {
    used += data.length;
    if (!swallowing) {
      enqueue(Kind.DATA, data);
    }
  }

  private void sendFin() {
    done = true;
    if (!swallowing) {
      enqueue(Kind.FIN, null);
    }
  }

  private void strike() {
    Connection.Cut c = cut;
    cut = null;
    sim.note(
        "net",
        conn.label()
            + " fault strikes: "
            + c.kind().words
            + " after "
            + passed
            + " bytes, "
            + direction());
    switch (c.kind()) {
      case RESET -> {
        sendReset();
        resetSenderLater();
      }
      case CLOSE -> {
        clearOutbox();
        sendFin();
        resetSenderLater();
      }
      case HANG -> swallowing = true;
    }
  }

  /** The middle of the network reset the sender too; it hears so after the latency. */
  private void resetSenderLater() {
    sim.schedule(
        latency,
        () -> {
          if (!src.isClosed()) {
            conn.reverse(this).stop();
            src.closeNow(new ConnectionLost("Connection reset by peer", null));
          }
        });
  }

  private int segmentSize() {
    if (chunkLimit >= MAX_SEGMENT) {
      return MAX_SEGMENT;
    }
    return 1 + sim.random().nextInt(chunkLimit);
  }

  private byte[] take(int n) {
    byte[] out = new byte[n];
    int filled = 0;
    while (filled < n) {
      byte[] head = outbox.peekFirst();
      int k = Math.min(n - filled, head.length - outHead);
      System.arraycopy(head, outHead, out, filled, k);
      filled += k;
      outHead += k;
      if (outHead == head.length) {
        outbox.pollFirst();
        outHead = 0;
      }
    }
    outBytes -= n;
    return out;
  }

  private void clearOutbox() {
    outbox.clear();
    outHead = 0;
    outBytes = 0;
  }

  private void enqueue(Kind kind, byte[] data) {
    double now = sim.clock().seconds();
    double jitter = sim.faults().jitter();
    double due = now + latency + (jitter > 0 ? sim.random().nextDouble() * jitter : 0);
    if (due < lastDue) {
      due = lastDue;
    }
    lastDue = due;
    wire.add(new Segment(kind, data, due));
    schedulePump();
  }

  /**
   * After the receiver read some, or the sender's pull producer wrote: sends more and asks the
   * producers for more, as an event of its own.
   */
  void windowOpened() {
    if (transmitScheduled || done) {
      return;
    }
    transmitScheduled = true;
    sim.schedule(
        0,
        () -> {
          transmitScheduled = false;
          transmit();
          src.drained();
        });
  }

  // ---------------------------------------------------------------------------------------------
  // The wire

  private void schedulePump() {
    if (pump == null && !held && !wire.isEmpty()) {
      double delay = Math.max(0, wire.peekFirst().due - sim.clock().seconds());
      pump = sim.schedule(delay, this::arriveNext);
    }
  }

  /** Delivers every segment due now, each in a read of its own, in one event. */
  private void arriveNext() {
    pump = null;
    double now = sim.clock().seconds();
    while (!wire.isEmpty() && wire.peekFirst().due <= now) {
      if (sim.partitioned(src.host(), dst.host())) {
        hold();
        return;
      }
      arrive(wire.pollFirst());
    }
    schedulePump();
  }

  private void hold() {
    if (held) {
      return;
    }
    held = true;
    sim.held(this);
    rto = sim.schedule(sim.faults().retransmitTimeout(), this::timedOut);
  }

  /** The partition healed: what waited goes on, from now. */
  void heal() {
    if (!held) {
      return;
    }
    unhold();
    double earliest = sim.clock().seconds() + latency;
    for (Segment s : wire) {
      if (s.due < earliest) {
        s.due = earliest;
      }
    }
    if (!wire.isEmpty()) {
      lastDue = Math.max(lastDue, wire.peekLast().due);
    }
    schedulePump();
  }

  private void unhold() {
    if (held) {
      held = false;
      sim.released(this);
    }
    if (rto != null && rto.active()) {
      rto.cancel();
    }
    rto = null;
  }

  private void timedOut() {
    rto = null;
    if (!held) {
      return;
    }
    sim.note("net", conn.label() + " retransmission timeout, " + direction());
    conn.breakBoth("Connection timed out");
  }

  // ---------------------------------------------------------------------------------------------
  // The receiver's side

  private void arrive(Segment s) {
    if (dst.isDead()) {
      // Its machine crashed: nobody there. Once it is up again, its kernel answers with a reset.
      if (s.kind != Kind.RST && dst.host().isUp()) {
        refuse();
      }
      return;
    }
    switch (s.kind) {
      case SYNACK -> dst.synAckArrived();
      case DATA -> {
        if (dst.isClosed()) {
          used -= s.data.length;
          refuse();
          return;
        }
        inbox.add(s.data);
        inBytes += s.data.length;
        deliverInbox();
      }
      case FIN -> {
        if (!dst.isClosed()) {
          finArrived = true;
          deliverInbox();
        }
      }
      case RST -> {
        if (!dst.isClosed()) {
          inbox.clear();
          inBytes = 0;
          conn.reverse(this).silence();
          dst.closeNow(new ConnectionLost("Connection reset by peer", null));
        }
      }
    }
  }

  /** Data reached an end that has closed: its kernel answers with a reset. */
  private void refuse() {
    Flow back = conn.reverse(this);
    if (!back.done) {
      back.sendReset();
    }
  }

  /** The receiver resumed reading: what waits is delivered, as an event of its own. */
  void scheduleDelivery() {
    if (deliveryScheduled || (inBytes == 0 && !finArrived)) {
      return;
    }
    deliveryScheduled = true;
    sim.schedule(
        0,
        () -> {
          deliveryScheduled = false;
          if (!dst.isDead()) {
            deliverInbox();
          }
        });
  }

  /** Gives the receiver what waits, in one read, if it reads; then the end of the stream. */
  private void deliverInbox() {
    while (inBytes > 0 && dst.isReading()) {
      byte[] data;
      if (inbox.size() == 1) {
        data = inbox.pollFirst();
      } else {
        data = new byte[(int) inBytes];
        int at = 0;
        for (byte[] piece : inbox) {
          System.arraycopy(piece, 0, data, at, piece.length);
          at += piece.length;
        }
        inbox.clear();
      }
      inBytes = 0;
      used -= data.length;
      windowOpened();
      dst.received(data);
    }
    if (finArrived && inBytes == 0 && dst.isReading()) {
      finArrived = false;
      conn.reverse(this).sendFinNow();
      dst.closeNow(new ConnectionDone());
    }
  }
}
