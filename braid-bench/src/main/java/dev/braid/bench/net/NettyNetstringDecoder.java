package dev.braid.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Netstrings on Netty, with the rules of Braid's {@code NetstringFramer}: length {@code
 * 0|[1-9][0-9]*} up to {@value #MAX_LENGTH} (checked before the colon), then the payload and a
 * comma. Emits each payload as a {@code byte[]}; bad input closes the connection and drops what
 * follows.
 */
final class NettyNetstringDecoder extends ByteToMessageDecoder {
  static final int MAX_LENGTH = 99999;
  private boolean failed;

  NettyNetstringDecoder() {}

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    int limit = in.writerIndex();
    long length = 0;
    int colon = -1;
    for (int i = start; i < limit; i++) {
      byte b = in.getByte(i);
      if (b == ':' && i > start) {
        colon = i;
        break;
      }
      if (b < '0' || b > '9' || (i == start + 1 && length == 0)) {
        fail(ctx, in);
        return;
      }
      length = length * 10 + (b - '0');
      if (length > MAX_LENGTH) {
        fail(ctx, in);
        return;
      }
    }
    if (colon < 0) {
      return; // the length is not complete yet
    }
    int frame = colon - start + 1 + (int) length + 1;
    if (in.readableBytes() < frame) {
      return;
    }
    if (in.getByte(colon + 1 + (int) length) != ',') {
      fail(ctx, in);
      return;
    }
    byte[] payload = new byte[(int) length];
    in.getBytes(colon + 1, payload);
    in.skipBytes(frame);
    out.add(payload);
  }

  private void fail(ChannelHandlerContext ctx, ByteBuf in) {
    failed = true;
    in.skipBytes(in.readableBytes());
    ctx.close();
  }
}
