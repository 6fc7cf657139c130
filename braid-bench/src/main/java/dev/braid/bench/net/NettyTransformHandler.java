package dev.braid.bench.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.nio.charset.StandardCharsets;

/**
 * The transform server's peer on Netty, after {@link NettyNetstringDecoder}: answers the first
 * request with one netstring and closes once it is flushed; a bad request closes without a reply.
 */
final class NettyTransformHandler extends SimpleChannelInboundHandler<byte[]> {
  private boolean answered;

  NettyTransformHandler() {}

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] request) {
    if (answered) {
      return;
    }
    answered = true;
    byte[] reply = Transforms.answer(request);
    if (reply == null) {
      ctx.close();
      return;
    }
    byte[] length = Integer.toString(reply.length).getBytes(StandardCharsets.US_ASCII);
    ByteBuf out = ctx.alloc().buffer(length.length + reply.length + 2);
    out.writeBytes(length).writeByte(':').writeBytes(reply).writeByte(',');
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
