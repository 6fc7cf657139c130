package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Protocol;
import dev.braid.sim.Faults;
import dev.braid.sim.SimHost;
import dev.braid.sim.Simulation;
import java.io.ByteArrayOutputStream;
import java.time.Duration;

/**
 * The simulation's transport keeps the Transport contract: the local protocol connects from one
 * simulated host to a peer on another, over a network whose bytes arrive in random chunks.
 */
class SimTransportContractTest extends TransportContract {
  @Override
  protected Deferred<Harness> connect(Protocol protocol) {
    Simulation sim =
        Simulation.builder(42)
            .faults(Faults.none().withChunks(1.0, 3))
            .allowOpenConnections()
            .build();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    boolean[] peerGone = {false};
    sim.addHost("peer")
        .listenTCP(
            7000,
            address ->
                new BaseProtocol() {
                  @Override
                  public void dataReceived(byte[] data) {
                    received.writeBytes(data);
                  }

                  @Override
                  public void connectionLost(ConnectionEnd reason) {
                    peerGone[0] = true;
                  }
                });
    SimHost local = sim.addHost("local");
    boolean[] made = {false};
    local.connectTCP(
        "peer",
        7000,
        address ->
            new Protocol() {
              @Override
              public void makeConnection(dev.braid.net.Transport t) {
                made[0] = true;
                protocol.makeConnection(t);
              }

              @Override
              public void dataReceived(byte[] data) {
                protocol.dataReceived(data);
              }

              @Override
              public void connectionLost(ConnectionEnd reason) {
                protocol.connectionLost(reason);
              }
            });
    sim.runUntil(() -> made[0], Duration.ofSeconds(1));
    return Deferred.succeed(
        new Harness() {
          @Override
          public void settle() {
            sim.runUntil(() -> false, Duration.ofMinutes(1));
          }

          @Override
          public Deferred<byte[]> peerReceived(int count) {
            sim.runUntil(() -> received.size() >= count || peerGone[0], Duration.ofMinutes(1));
            return Deferred.succeed(received.toByteArray());
          }
        });
  }
}
