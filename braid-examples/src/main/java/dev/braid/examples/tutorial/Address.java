package dev.braid.examples.tutorial;

/**
 * A server's address as the tutorial's programs take it on their command line: {@code [HOST:]PORT},
 * the host {@code 127.0.0.1} when left out.
 *
 * @param host the host name or address
 * @param port the TCP port
 */
public record Address(String host, int port) {
  /**
   * Parses {@code [HOST:]PORT}.
   *
   * @param text the argument
   * @return the address
   * @throws IllegalArgumentException if the port is not a number from 1 to 65535
   */
  public static Address parse(String text) {
    int colon = text.lastIndexOf(':');
    String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
    String port = text.substring(colon + 1);
    try {
      int number = Integer.parseInt(port);
      if (number >= 1 && number <= 65535) {
        return new Address(host, number);
      }
    } catch (NumberFormatException notANumber) {
      // said below
    }
    throw new IllegalArgumentException("not an address, [HOST:]PORT: " + text);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
