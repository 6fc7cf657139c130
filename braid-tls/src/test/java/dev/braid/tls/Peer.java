package dev.braid.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Transport;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A test protocol: records what it receives and how it ended; echoes or greets if asked. */
class Peer extends BaseProtocol {
  final ByteArrayOutputStream received = new ByteArrayOutputStream();
  final List<ConnectionEnd> lost = new ArrayList<>();
  final Deferred<ConnectionEnd> ended = Deferred.create();
  final Deferred<Void> made = Deferred.create();
  int reads;
  boolean echo;
  String greeting;
  boolean closeAfterGreeting;

  static Peer echo() {
    Peer p = new Peer();
    p.echo = true;
    return p;
  }

  static Peer greeting(String text, boolean thenClose) {
    Peer p = new Peer();
    p.greeting = text;
    p.closeAfterGreeting = thenClose;
    return p;
  }

  @Override
  protected void connectionMade() {
    made.callback(null);
    if (greeting != null) {
      send(greeting);
      if (closeAfterGreeting) {
        transport().loseConnection();
      }
    }
  }

  @Override
  public void dataReceived(byte[] data) {
    reads++;
    received.writeBytes(data);
    if (echo) {
      transport().write(data);
    }
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    super.connectionLost(reason);
    lost.add(reason);
    ended.callback(reason);
  }

  void send(String text) {
    transport().write(text.getBytes(UTF_8));
  }

  String text() {
    return received.toString(UTF_8);
  }

  TlsTransport tls() {
    Transport t = transport();
    return (TlsTransport) t;
  }

  Transport rawTransport() {
    return transport();
  }
}
