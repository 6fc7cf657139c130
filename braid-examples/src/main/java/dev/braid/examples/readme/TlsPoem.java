package dev.braid.examples.readme;

import dev.braid.net.BaseProtocol;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Dialer;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryClientFactory;
import dev.braid.reactor.Tasks;
import dev.braid.tls.Tls;
import dev.braid.tls.TlsClientOptions;
import dev.braid.tls.TlsServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The README's TLS snippet: a poem server that speaks TLS only, and a client that fetches its poem
 * over TLS, trusting a private CA, both in one program on one reactor.
 *
 * <p>{@code bin/example readme.TlsPoem CHAIN.pem KEY.pem CA.pem}: the server's certificate chain
 * and private key (PEM, as {@code openssl} and Let's Encrypt write them; the certificate must be
 * valid for {@code localhost}) and the certificate of the CA that issued it. Prints the poem and
 * exits with status 0; a failed fetch (an untrusted certificate, say) is printed and gives status
 * 1.
 */
public final class TlsPoem {
  private TlsPoem() {}

  /**
   * Serves the poem over TLS on a free loopback port, fetches it over TLS, prints it.
   *
   * @param args the server's chain, its key and the CA's certificate, PEM files
   */
  public static void main(String[] args) {
    if (args.length != 3) {
      System.err.println("usage: bin/example readme.TlsPoem CHAIN.pem KEY.pem CA.pem");
      System.exit(2);
    }
    Path chain = Path.of(args[0]);
    Path key = Path.of(args[1]);
    Path ca = Path.of(args[2]);
    byte[] poem = Poems.named("the_reactor").bytes();
    Tasks.reactAndExit(
        reactor -> {
          // tag::readme-tls[]
          TlsServerOptions server = TlsServerOptions.fromPem(chain, key); // fullchain, privkey
          Factory poems =
              address ->
                  new BaseProtocol() {
                    @Override
                    protected void connectionMade() {
                      transport().write(poem);
                      transport().loseConnection(); // after TLS's close_notify
                    }
                  };
          ListeningPort listening =
              reactor.listenTCP(
                  0,
                  Tls.serverFactory(reactor, server, poems), // any Factory
                  ReactorTcp.DEFAULT_BACKLOG,
                  "127.0.0.1");

          // The client checks the chain and the host name; trustingPem: a private CA's roots.
          Dialer tls = Dialer.tls(reactor, TlsClientOptions.defaults().trustingPem(ca));
          int port = listening.getHost().getPort();
          return PoetryClient.fetch(
                  tls, "localhost", port, null, PoetryClientFactory.DEFAULT_MAX_POEM_BYTES)
              .addCallback(
                  bytes -> {
                    System.out.print(new String(bytes, StandardCharsets.UTF_8));
                    return null;
                  });
          // end::readme-tls[]
        });
  }
}
