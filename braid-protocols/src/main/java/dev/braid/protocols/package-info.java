/**
 * Framing protocols and connection policies: Twisted's {@code twisted.protocols.basic} and {@code
 * twisted.protocols.policies}.
 *
 * <h2>Framers and receivers</h2>
 *
 * The framing lives in small final framers that do no I/O and can be used anywhere: {@link
 * dev.braid.protocols.NetstringFramer}, {@link dev.braid.protocols.LineFramer}, {@link
 * dev.braid.protocols.LengthPrefixFramer}. Each keeps one growable buffer with a read index and
 * remembers how far it has parsed, so it is linear whether bytes arrive whole, one at a time or as
 * thousands of frames in one read; each checks its limit before buffering and never allocates from
 * a length the peer declared.
 *
 * <p>The receivers are what user code extends, each implementing {@link dev.braid.net.Protocol}
 * directly and delegating to a framer: {@link dev.braid.protocols.NetstringReceiver}, {@link
 * dev.braid.protocols.LineReceiver}, {@link dev.braid.protocols.LineOnlyReceiver}, {@link
 * dev.braid.protocols.IntNStringReceiver}. As in Twisted, {@link
 * dev.braid.protocols.Int32StringReceiver}, {@link dev.braid.protocols.Int16StringReceiver} and
 * {@link dev.braid.protocols.Int8StringReceiver} are subclasses of the last that only fix the
 * prefix's size. Their behaviour is Twisted's (spec §19–§20); each class comment lists where Braid
 * differs and why.
 *
 * <h2>Policies</h2>
 *
 * {@link dev.braid.protocols.Policies} wraps any {@link dev.braid.net.Factory}: an idle timeout, a
 * per-frame deadline (the defence against peers that trickle a frame byte by byte), and limits on
 * connections in total and per peer. {@link dev.braid.protocols.IdleTimeout} is Twisted's {@code
 * TimeoutMixin} as a part a protocol holds. {@link dev.braid.protocols.ConnectionDrain} drains a
 * server at shutdown: it stops accepting, gives the connections in flight a grace period, then
 * resets the ones left, so that no client takes a cut reply for a whole one.
 *
 * <p>Threading: everything here runs on the reactor thread.
 */
package dev.braid.protocols;
