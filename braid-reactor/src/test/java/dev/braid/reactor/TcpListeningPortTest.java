package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Opening a listening port: what it leaves behind when it fails part of the way. */
class TcpListeningPortTest {

  @Test
  void aPortThatFailsToRegisterStopsTheFactoryItStarted() throws IOException {
    List<String> log = new ArrayList<>();
    Factory factory =
        new Factory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            return null;
          }

          @Override
          public void startFactory() {
            log.add("startFactory");
          }

          @Override
          public void stopFactory() {
            log.add("stopFactory");
          }
        };
    SelectorReactor reactor = SelectorReactor.create();
    reactor.selector().close(); // registering with it now fails, after the bind

    assertThatThrownBy(() -> reactor.listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1"))
        .isInstanceOf(ClosedSelectorException.class);

    assertThat(log).containsExactly("startFactory", "stopFactory");
    assertThat(FactoryStarts.users(factory)).isZero();
    assertThat(reactor.listeningPorts()).isEmpty();
  }
}
