package dev.braid.bench.net;

import dev.braid.poetry.Pacing;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The poetry server's peer on Netty: on connect, write the whole poem and close once it is flushed;
 * or, when paced, {@link Pacing#numBytes} every {@link Pacing#delay} on the event loop, then close
 * (the same {@link Pacing} as Braid's server). One instance per connection.
 */
final class NettyPoetryHandler extends ChannelInboundHandlerAdapter {
  private final byte[] poem;
  private final Pacing pacing;
  private int sent;
  private ScheduledFuture<?> next;

  NettyPoetryHandler(byte[] poem, Pacing pacing) {
    this.poem = poem;
    this.pacing = pacing;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (pacing.isAtOnce()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(poem)).addListener(ChannelFutureListener.CLOSE);
    } else {
      sendNext(ctx);
    }
  }

  private void sendNext(ChannelHandlerContext ctx) {
    next = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    int end = Math.min(poem.length, sent + pacing.numBytes());
    var piece = Unpooled.wrappedBuffer(poem, sent, end - sent);
    sent = end;
    if (sent >= poem.length) {
      ctx.writeAndFlush(piece).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(piece);
      long delayNanos = pacing.delay().toNanos();
      next = ctx.executor().schedule(() -> sendNext(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
