/**
 * The servers of the network benchmarks: a poetry server and a netstring transform server on Braid,
 * and their peers on Netty, each on one thread, with the same wire behaviour and socket options.
 */
package dev.braid.bench.net;
