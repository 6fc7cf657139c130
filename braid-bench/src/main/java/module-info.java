/**
 * Braid's benchmarks: JMH benchmarks and measurement programs, each against a peer measured in the
 * same run. Not a library; run with {@code bench/run}, {@code bench/run-async} and {@code
 * bench/run-debug-cost} (see {@code docs/benchmarks.md}).
 */
module dev.braid.bench {
  requires dev.braid.defer;
  requires dev.braid.reactor;
  requires dev.braid.protocols;
  requires dev.braid.poetry;
  requires dev.braid.tls;
  requires java.management; // thread CPU time (DeferredCpuCost among others)
  requires jdk.management;
  requires dev.braid.poetry.redis;
  requires jmh.core;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.common;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.transport.classes.epoll;
}
