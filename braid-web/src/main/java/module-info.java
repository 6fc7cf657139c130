/**
 * Braid's HTTP client: Twisted's {@code getPage} and {@code Agent} on the JDK's {@link
 * java.net.http.HttpClient}, with every result delivered on the reactor thread. See {@link
 * dev.braid.web.WebClient}.
 */
module dev.braid.web {
  requires transitive dev.braid.net;
  requires transitive dev.braid.tls;
  requires transitive java.net.http;
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports dev.braid.web;
}
