package dev.braid.web;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.PushProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * A {@link BodyConsumer} that keeps nothing of the body but its length and checksum, and records
 * the calls it gets and the threads they come on. Read its fields once {@link #lost} completed.
 */
class RecordingConsumer implements BodyConsumer {
  final List<String> events = new ArrayList<>();
  final List<Thread> threads = new ArrayList<>();
  final CRC32 crc = new CRC32();
  final CompletableFuture<ConnectionEnd> lost = new CompletableFuture<>();
  final CompletableFuture<Void> firstPiece = new CompletableFuture<>();
  ResponseHead head;
  PushProducer body;
  long bytes;
  int pieces;
  int largestPiece;
  boolean insideCall;
  boolean lostInsideACall;

  /** Called after each piece is counted, inside {@code dataReceived}. */
  Consumer<byte[]> onData = data -> {};

  @Override
  public void responseReceived(ResponseHead head, PushProducer body) {
    threads.add(Thread.currentThread());
    events.add("responseReceived " + head.status());
    this.head = head;
    this.body = body;
  }

  @Override
  public void dataReceived(byte[] data) {
    threads.add(Thread.currentThread());
    if (events.isEmpty() || !events.getLast().equals("dataReceived")) {
      events.add("dataReceived");
    }
    bytes += data.length;
    pieces++;
    largestPiece = Math.max(largestPiece, data.length);
    crc.update(data);
    insideCall = true;
    try {
      onData.accept(data);
    } finally {
      insideCall = false;
    }
    firstPiece.complete(null);
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    threads.add(Thread.currentThread());
    events.add("connectionLost " + reason.getClass().getSimpleName());
    lostInsideACall = insideCall;
    lost.complete(reason);
  }
}
