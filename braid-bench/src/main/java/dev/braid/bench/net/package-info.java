/**
 * The servers of the network benchmarks: Braid's real poetry and transform servers ({@code
 * braid-poetry}) and their peers on Netty, each on one thread, with the same wire behaviour and
 * socket options.
 */
package dev.braid.bench.net;
