package dev.braid.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.PushProducer;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.FaultyRelay;
import dev.braid.test.RunningReactor;
import dev.braid.test.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** TLS over real TCP on loopback: large transfers, truncation, failed attempts, renegotiation. */
@Tag("loopback")
class TlsTcpTest {
  private final RunningReactor running = RunningReactor.start();
  private final SelectorReactor reactor = running.reactor();

  @AfterEach
  void stop() {
    running.close();
  }

  /** Writes {@code data} in 64 KiB pieces under backpressure, then closes. */
  private static final class Streamer extends Peer implements PushProducer {
    private final byte[] data;
    private int sent;
    private boolean paused;

    Streamer(byte[] data) {
      this.data = data;
    }

    @Override
    protected void connectionMade() {
      super.connectionMade();
      rawTransport().registerProducer(this);
      resumeProducing();
    }

    @Override
    public void pauseProducing() {
      paused = true;
    }

    @Override
    public void resumeProducing() {
      paused = false;
      while (!paused && sent < data.length) {
        int n = Math.min(64 * 1024, data.length - sent);
        rawTransport().write(java.util.Arrays.copyOfRange(data, sent, sent + n));
        sent += n;
      }
      if (sent == data.length && !paused) {
        rawTransport().unregisterProducer();
        rawTransport().loseConnection();
        sent++;
      }
    }

    @Override
    public void stopProducing() {}
  }

  private int listen(TlsServerOptions options, Protocol protocol) {
    return running.call(
        () -> {
          ListeningPort port =
              reactor.listenTCP(
                  0,
                  Tls.serverFactory(reactor, options, address -> protocol),
                  ReactorTcp.DEFAULT_BACKLOG,
                  "127.0.0.1");
          return port.getHost().getPort();
        });
  }

  private void connect(int port, TlsClientOptions options, Peer client) {
    running.run(() -> reactor.connectTCP("127.0.0.1", port, clientFactory(options, client, null)));
  }

  private ClientFactory clientFactory(
      TlsClientOptions options, Protocol client, CompletableFuture<ConnectError> failed) {
    return Tls.clientFactory(
        reactor,
        options,
        new ClientFactory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            return client;
          }

          @Override
          public void clientConnectionFailed(Connector connector, ConnectError reason) {
            if (failed != null) {
              failed.complete(reason);
            }
          }
        });
  }

  @Test
  void eightMebibytesArriveByteForByteUnderBackpressure() {
    byte[] data = new byte[8 * 1024 * 1024];
    new Random(7).nextBytes(data);
    int port = listen(Certs.server(), new Streamer(data));
    Peer client = new Peer();
    connect(port, Certs.client(), client);
    ConnectionEnd end = running.await(() -> client.ended);
    assertThat(end).isInstanceOf(ConnectionDone.class);
    assertThat(client.received.toByteArray()).isEqualTo(data);
  }

  @Test
  void aCleanTcpCloseInTheMiddleIsATruncationNotTheEnd() {
    byte[] data = new byte[200_000];
    int port = listen(Certs.server(), new Streamer(data));
    FaultyRelay relay =
        running.call(
            () ->
                FaultyRelay.start(
                    reactor,
                    reactor,
                    "127.0.0.1",
                    port,
                    n -> new FaultyRelay.Fault.CloseAfter(50_000)));
    Peer client = new Peer();
    connect(relay.port(), Certs.client(), client);
    ConnectionEnd end = running.await(() -> client.ended);
    assertThat(end).isInstanceOf(ConnectionLost.class);
    assertThat(((TlsException) end.getCause()).kind()).isEqualTo(TlsException.Kind.TRUNCATED);
    assertThat(client.received.size()).isLessThan(data.length);
    running.await(relay::stop);
  }

  @Test
  void anUntrustedServerFailsTheAttemptWithATlsConnectError() {
    int port = listen(Certs.server(), new Peer());
    CompletableFuture<ConnectError> failed = new CompletableFuture<>();
    Peer client = new Peer();
    running.run(
        () ->
            reactor.connectTCP(
                "127.0.0.1",
                port,
                clientFactory(
                    TlsClientOptions.forHost("localhost").trusting(TestCa.create().certificate()),
                    client,
                    failed)));
    ConnectError error = RunningReactor.get(failed);
    assertThat(error).isInstanceOf(TlsConnectError.class);
    assertThat(((TlsConnectError) error).kind()).isEqualTo(TlsException.Kind.UNTRUSTED_CERTIFICATE);
    assertThat(error.getMessage())
        .startsWith(
            "TLS handshake with localhost (127.0.0.1:"
                + port
                + ") failed: the server's"
                + " certificate is not trusted");
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void aClientThatRenegotiatesIsCut() throws Exception {
    Peer server = new Peer();
    int port = listen(Certs.server(), server);
    SSLContext context = Certs.client().withProtocols("TLSv1.2").sslContext();
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setSoTimeout(20_000);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("before\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      running.await(() -> server.made);
      try {
        socket.startHandshake(); // a renegotiation
        out.write("after\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        assertThat(in.read()).isEqualTo(-1);
      } catch (IOException expected) {
        // the server closed the connection during the renegotiation
      }
    }
    ConnectionEnd end = running.await(() -> server.ended);
    assertThat(end.getCause()).isInstanceOf(TlsException.class);
    assertThat(((TlsException) end.getCause()).kind())
        .isEqualTo(TlsException.Kind.RENEGOTIATION_REFUSED);
    assertThat(server.text()).isEqualTo("before\n");
  }

  @Test
  void aServerThatRenegotiatesIsCut() throws Exception {
    SSLContext context = Certs.server().withProtocols("TLSv1.2").sslContext();
    try (SSLServerSocket listening =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1, null)) {
      listening.setEnabledProtocols(new String[] {"TLSv1.2"});
      Peer client = new Peer();
      connect(listening.getLocalPort(), Certs.client(), client);
      listening.setSoTimeout(20_000);
      try (SSLSocket socket = (SSLSocket) listening.accept()) {
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        running.await(() -> client.made);
        try {
          socket.startHandshake(); // sends a HelloRequest
          socket.getOutputStream().write(1);
          socket.getInputStream().read();
        } catch (IOException expected) {
          // the client closed the connection
        }
      }
      ConnectionEnd end = running.await(() -> client.ended);
      assertThat(end.getCause()).isInstanceOf(TlsException.class);
      assertThat(((TlsException) end.getCause()).kind())
          .isEqualTo(TlsException.Kind.RENEGOTIATION_REFUSED);
    }
  }
}
