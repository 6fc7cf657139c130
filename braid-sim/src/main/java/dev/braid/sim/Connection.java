package dev.braid.sim;

import dev.braid.net.ConnectionLost;

/**
 * One simulated TCP connection: its two ends and the two directions between them, and the fault
 * drawn for it. Threading: the simulation's thread.
 */
final class Connection {
  /** What a cut does when it strikes. */
  enum CutKind {
    RESET("reset"),
    CLOSE("clean close"),
    HANG("hang");

    final String words;

    CutKind(String words) {
      this.words = words;
    }
  }

  /** A cut of one direction after {@code after} bytes. */
  record Cut(CutKind kind, long after) {}

  final Simulation sim;
  final long id;
  final SimTransport client;
  final SimTransport server;
  final Flow toServer;
  final Flow toClient;

  Connection(
      Simulation sim,
      long id,
      SimHost clientHost,
      int clientPort,
      SimConnector connector,
      SimHost serverHost,
      int serverPort) {
    this.sim = sim;
    this.id = id;
    this.client = new SimTransport(this, clientHost, clientPort, serverHost, serverPort, connector);
    this.server = new SimTransport(this, serverHost, serverPort, clientHost, clientPort, null);
    double latency = sim.latency(clientHost, serverHost);
    this.toServer = new Flow(this, client, server, latency);
    this.toClient = new Flow(this, server, client, latency);
    client.attach(toServer, toClient);
    server.attach(toClient, toServer);
  }

  /** The other direction. */
  Flow reverse(Flow flow) {
    return flow == toServer ? toClient : toServer;
  }

  /** Both ends are reset, e.g. after a partition outlasted the retransmission timeout. */
  void breakBoth(String why) {
    toServer.stop();
    toClient.stop();
    client.closeNow(new ConnectionLost(why, null));
    server.closeNow(new ConnectionLost(why, null));
  }

  String label() {
    return "conn " + id;
  }
}
