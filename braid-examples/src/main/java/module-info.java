/**
 * Braid's example programs: the Twisted tutorial's and documentation's programs and the README's
 * snippets, each a {@code main} to run with {@code bin/example NAME}. They use Braid's public API
 * only: this module reads Braid's modules as any application does, so javac rejects anything they
 * do not export. Not a library: it exports nothing.
 */
module dev.braid.examples {
  requires dev.braid.defer;
  requires dev.braid.reactor;
  requires dev.braid.web;
  requires dev.braid.poetry;
  requires dev.braid.tls;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  // Jackson builds the records the JSON examples decode.
  opens dev.braid.examples.deferreds to
      com.fasterxml.jackson.databind;
}
