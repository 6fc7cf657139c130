package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.ClientEndpoint;
import dev.braid.net.ReactorTcp;
import org.junit.jupiter.api.Test;

/**
 * The string forms of TCP endpoints: parsing errors and descriptions. No sockets (the endpoints are
 * never used); the endpoints at work over loopback are braid-testsuite's EndpointsTest.
 */
class EndpointStringsTest {
  private final SelectorReactor unused = SelectorReactor.create();

  @Test
  void badServerStringsAreRejectedWithClearMessages() {
    assertBadServer("", "empty endpoint description");
    assertBadServer(
        "udp:10000", "bad endpoint 'udp:10000': unknown endpoint type 'udp' (supported: tcp)");
    assertBadServer(
        "tcp", "bad endpoint 'tcp': a tcp server endpoint needs a port, e.g. 'tcp:10000'");
    assertBadServer("tcp:abc", "bad endpoint 'tcp:abc': port is not a number: 'abc'");
    assertBadServer("tcp:70000", "bad endpoint 'tcp:70000': port out of range: 70000");
    assertBadServer(
        "tcp:1:2",
        "bad endpoint 'tcp:1:2': too many positional arguments [1, 2] (a tcp server takes the port)");
    assertBadServer("tcp:1:port=2", "bad endpoint 'tcp:1:port=2': the port is given twice");
    assertBadServer(
        "tcp:10000:foo=bar",
        "bad endpoint 'tcp:10000:foo=bar': unknown parameter 'foo' for a tcp server");
    assertBadServer(
        "tcp:10000:backlog=0", "bad endpoint 'tcp:10000:backlog=0': backlog must be positive: 0");
    assertBadServer("tcp:port=1:port=2", "parameter 'port' given twice in 'tcp:port=1:port=2'");
    assertBadServer("tcp:1\\", "endpoint description ends with a lone backslash: 'tcp:1\\'");
    assertBadServer(
        "=tcp:1", "endpoint description must start with a type such as 'tcp:': '=tcp:1'");
  }

  @Test
  void badClientStringsAreRejectedWithClearMessages() {
    assertBadClient(
        "tcp:host=example.org",
        "bad endpoint 'tcp:host=example.org': a tcp client endpoint needs a port, e.g."
            + " 'tcp:host=example.org:port=10000'");
    assertBadClient(
        "tcp:port=80",
        "bad endpoint 'tcp:port=80': a tcp client endpoint needs a host, e.g."
            + " 'tcp:host=example.org:port=10000'");
    assertBadClient("tcp:host=x:port=0", "bad endpoint 'tcp:host=x:port=0': port out of range: 0");
    assertBadClient(
        "tcp:host=x:port=80:timeout=soon",
        "bad endpoint 'tcp:host=x:port=80:timeout=soon': timeout is not a number of seconds: 'soon'");
    assertBadClient(
        "tcp:host=x:port=80:timeout=-1",
        "bad endpoint 'tcp:host=x:port=80:timeout=-1': timeout must be a positive number of"
            + " seconds: '-1'");
    assertBadClient(
        "tcp:host=x:port=80:bindAddress=example.org",
        "bad endpoint 'tcp:host=x:port=80:bindAddress=example.org': bindAddress must be an IP"
            + " address: 'example.org'");
    assertBadClient(
        "tcp:a:1:b",
        "bad endpoint 'tcp:a:1:b': too many positional arguments [a, 1, b] (a tcp client takes host"
            + " and port)");
    assertBadClient(
        "tcp:a:1:host=b",
        "bad endpoint 'tcp:a:1:host=b': host or port given both by position and by name");
    assertBadClient(
        "tcp:host=x:port=1:interface=y",
        "bad endpoint 'tcp:host=x:port=1:interface=y': unknown parameter 'interface' for a tcp"
            + " client");
  }

  private void assertBadServer(String description, String message) {
    assertThatThrownBy(() -> Endpoints.serverFromString(unused, description))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  private void assertBadClient(String description, String message) {
    assertThatThrownBy(() -> Endpoints.clientFromString(unused, description))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void endpointsDescribeThemselvesInTheirStringForm() {
    ClientEndpoint client = Endpoints.tcpClient(unused, "example.org", 10000);
    assertThat(client).hasToString("tcp:host=example.org:port=10000");
    assertThat(Endpoints.tcpServer(unused, 10000, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1"))
        .hasToString("tcp:10000:interface=127.0.0.1");
  }
}
