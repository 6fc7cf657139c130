/**
 * Braid's framing protocols (netstrings, lines, length prefixes) over small I/O-free framers, and
 * connection policies (idle timeout, frame deadline, connection limits, draining at shutdown).
 */
module dev.braid.protocols {
  requires transitive dev.braid.net;

  exports dev.braid.protocols;
}
