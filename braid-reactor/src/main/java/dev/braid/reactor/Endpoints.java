package dev.braid.reactor;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.net.ClientEndpoint;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.ServerEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Endpoints: where to listen or connect, as values that can come from configuration (Twisted's
 * {@code twisted.internet.endpoints}).
 *
 * <h2>String forms</h2>
 *
 * Twisted's syntax: fields separated by {@code :}, a backslash escaping the next character.
 *
 * <ul>
 *   <li>Server: {@code tcp:PORT[:interface=ADDRESS][:backlog=N]}, e.g. {@code
 *       tcp:10000:interface=127.0.0.1}, {@code tcp:port=0}, {@code tcp:8080:interface=\:\:1}.
 *   <li>Client: {@code tcp:host=HOST:port=PORT[:timeout=SECONDS][:bindAddress=ADDRESS]}, e.g.
 *       {@code tcp:host=example.org:port=10000:timeout=5}; also {@code tcp:HOST:PORT}.
 * </ul>
 *
 * Anything else is an {@link IllegalArgumentException} whose message quotes the string and says
 * what is wrong.
 */
public final class Endpoints {
  private static final Set<String> SERVER_KEYS = Set.of("port", "interface", "backlog");
  private static final Set<String> CLIENT_KEYS = Set.of("host", "port", "timeout", "bindAddress");

  private Endpoints() {}

  /**
   * A TCP server endpoint on every interface, with the system's maximum backlog.
   *
   * @param reactor the reactor to listen with
   * @param port the port, or 0 for any free one
   * @return the endpoint
   */
  public static ServerEndpoint tcpServer(ReactorTcp reactor, int port) {
    return tcpServer(reactor, port, ReactorTcp.DEFAULT_BACKLOG, "");
  }

  /**
   * A TCP server endpoint: {@link ReactorTcp#listenTCP(int, dev.braid.net.Factory, int, String)} as
   * an endpoint; failure to listen fails the Deferred.
   *
   * @param reactor the reactor to listen with
   * @param port the port, or 0 for any free one
   * @param backlog the accept queue length, or {@link ReactorTcp#DEFAULT_BACKLOG}
   * @param iface the interface's address, or "" for all
   * @return the endpoint
   */
  public static ServerEndpoint tcpServer(ReactorTcp reactor, int port, int backlog, String iface) {
    Objects.requireNonNull(reactor, "reactor");
    Objects.requireNonNull(iface, "iface");
    return new TcpServerEndpoint(reactor, port, backlog, iface);
  }

  /**
   * A TCP client endpoint with the default timeout (30 s).
   *
   * @param reactor the reactor to connect with
   * @param host a host name or address
   * @param port the port
   * @return the endpoint
   */
  public static ClientEndpoint tcpClient(ReactorTcp reactor, String host, int port) {
    return tcpClient(reactor, host, port, ReactorTcp.DEFAULT_CONNECT_TIMEOUT, null);
  }

  /**
   * A TCP client endpoint: {@link ReactorTcp#connectTCP} as an endpoint.
   *
   * @param reactor the reactor to connect with
   * @param host a host name or address
   * @param port the port
   * @param timeout how long an attempt may take, or null for no limit
   * @param bindAddress the local address to connect from, or null
   * @return the endpoint
   */
  public static ClientEndpoint tcpClient(
      ReactorTcp reactor, String host, int port, Duration timeout, InetSocketAddress bindAddress) {
    Objects.requireNonNull(reactor, "reactor");
    Objects.requireNonNull(host, "host");
    return new TcpClientEndpoint(reactor, host, port, timeout, bindAddress);
  }

  /**
   * Parses a server endpoint string, e.g. {@code tcp:10000:interface=127.0.0.1}.
   *
   * @param reactor the reactor to listen with
   * @param description the string
   * @return the endpoint
   * @throws IllegalArgumentException if the string is not a valid server endpoint
   */
  public static ServerEndpoint serverFromString(ReactorTcp reactor, String description) {
    Objects.requireNonNull(description, "description");
    return serverFromDescription(reactor, EndpointDescription.parse(description));
  }

  /**
   * Makes a TCP server endpoint from a parsed description of type {@code tcp}, for parsers of other
   * types that wrap TCP (see {@link EndpointDescription#narrowed}).
   *
   * @param reactor the reactor to listen with
   * @param description the description; its text is quoted in errors
   * @return the endpoint
   * @throws IllegalArgumentException if the description is not a valid tcp server endpoint
   */
  public static ServerEndpoint serverFromDescription(
      ReactorTcp reactor, EndpointDescription description) {
    EndpointDescription d = check(description, SERVER_KEYS, "server");
    List<String> args = d.args();
    Map<String, String> kwargs = d.kwargs();
    if (args.size() > 1) {
      throw bad(d, "too many positional arguments " + args + " (a tcp server takes the port)");
    }
    if (args.size() == 1 && kwargs.containsKey("port")) {
      throw bad(d, "the port is given twice");
    }
    String portText = args.isEmpty() ? kwargs.get("port") : args.get(0);
    if (portText == null) {
      throw bad(d, "a tcp server endpoint needs a port, e.g. 'tcp:10000'");
    }
    int port = parsePort(d, portText, 0);
    int backlog =
        kwargs.containsKey("backlog")
            ? parsePositive(d, "backlog", kwargs.get("backlog"))
            : ReactorTcp.DEFAULT_BACKLOG;
    return tcpServer(reactor, port, backlog, kwargs.getOrDefault("interface", ""));
  }

  /**
   * Parses a client endpoint string, e.g. {@code tcp:host=example.org:port=10000:timeout=5}.
   *
   * @param reactor the reactor to connect with
   * @param description the string
   * @return the endpoint
   * @throws IllegalArgumentException if the string is not a valid client endpoint
   */
  public static ClientEndpoint clientFromString(ReactorTcp reactor, String description) {
    Objects.requireNonNull(description, "description");
    return clientFromDescription(reactor, EndpointDescription.parse(description));
  }

  /**
   * Makes a TCP client endpoint from a parsed description of type {@code tcp}, for parsers of other
   * types that wrap TCP (see {@link EndpointDescription#narrowed}).
   *
   * @param reactor the reactor to connect with
   * @param description the description; its text is quoted in errors
   * @return the endpoint
   * @throws IllegalArgumentException if the description is not a valid tcp client endpoint
   */
  public static ClientEndpoint clientFromDescription(
      ReactorTcp reactor, EndpointDescription description) {
    EndpointDescription d = check(description, CLIENT_KEYS, "client");
    List<String> args = d.args();
    Map<String, String> kwargs = d.kwargs();
    String host = kwargs.get("host");
    String portText = kwargs.get("port");
    if (args.size() > 2) {
      throw bad(d, "too many positional arguments " + args + " (a tcp client takes host and port)");
    } else if (args.size() == 2) {
      if (host != null || portText != null) {
        throw bad(d, "host or port given both by position and by name");
      }
      host = args.get(0);
      portText = args.get(1);
    } else if (args.size() == 1) {
      if (host != null && portText == null) {
        portText = args.get(0);
      } else if (host == null) {
        host = args.get(0);
      } else {
        throw bad(d, "unexpected positional argument '" + args.get(0) + "'");
      }
    }
    if (host == null || host.isEmpty()) {
      throw bad(d, "a tcp client endpoint needs a host, e.g. 'tcp:host=example.org:port=10000'");
    }
    if (portText == null) {
      throw bad(d, "a tcp client endpoint needs a port, e.g. 'tcp:host=example.org:port=10000'");
    }
    int port = parsePort(d, portText, 1);
    Duration timeout = ReactorTcp.DEFAULT_CONNECT_TIMEOUT;
    if (kwargs.containsKey("timeout")) {
      String text = kwargs.get("timeout");
      double seconds;
      try {
        seconds = Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw bad(d, "timeout is not a number of seconds: '" + text + "'");
      }
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw bad(d, "timeout must be a positive number of seconds: '" + text + "'");
      }
      timeout = Clock.toDuration(seconds);
    }
    InetSocketAddress bindAddress = null;
    if (kwargs.containsKey("bindAddress")) {
      InetAddress address = AddressLiterals.literal(kwargs.get("bindAddress"));
      if (address == null) {
        throw bad(d, "bindAddress must be an IP address: '" + kwargs.get("bindAddress") + "'");
      }
      bindAddress = new InetSocketAddress(address, 0);
    }
    return tcpClient(reactor, host, port, timeout, bindAddress);
  }

  /**
   * Connects {@code protocol} itself through {@code endpoint} (Twisted's {@code connectProtocol}).
   *
   * @param endpoint where to connect
   * @param protocol the protocol to connect
   * @param <P> its type
   * @return a Deferred fired with {@code protocol} once connected, or failed with a {@link
   *     dev.braid.net.ConnectError}
   */
  public static <P extends Protocol> Deferred<P> connectProtocol(
      ClientEndpoint endpoint, P protocol) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(protocol, "protocol");
    return endpoint.connect(address -> protocol).addCallback(connected -> protocol);
  }

  // ---------------------------------------------------------------------------------------------

  private static EndpointDescription check(EndpointDescription d, Set<String> keys, String kind) {
    Objects.requireNonNull(d, "description");
    if (!d.type().equals("tcp")) {
      String more =
          d.type().equals("ssl") || d.type().equals("tls")
              ? "; ssl: and tls: endpoints are parsed by TlsEndpoints, in braid-tls"
              : "";
      throw bad(d, "unknown endpoint type '" + d.type() + "' (supported: tcp" + more + ")");
    }
    for (String key : d.kwargs().keySet()) {
      if (!keys.contains(key)) {
        throw bad(
            d, "unknown parameter '" + key + "' for a tcp " + kind + " (known: " + keys + ")");
      }
    }
    return d;
  }

  private static int parsePort(EndpointDescription d, String text, int min) {
    int port;
    try {
      port = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw bad(d, "port is not a number: '" + text + "'");
    }
    if (port < min || port > 0xFFFF) {
      throw bad(d, "port out of range: " + port);
    }
    return port;
  }

  private static int parsePositive(EndpointDescription d, String name, String text) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw bad(d, name + " is not a number: '" + text + "'");
    }
    if (value < 1) {
      throw bad(d, name + " must be positive: " + value);
    }
    return value;
  }

  private static IllegalArgumentException bad(EndpointDescription d, String why) {
    return new IllegalArgumentException("bad endpoint '" + d.text() + "': " + why);
  }
}
