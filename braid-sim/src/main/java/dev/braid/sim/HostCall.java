package dev.braid.sim;

import dev.braid.defer.DelayedCall;

/**
 * A call scheduled by a host's code: the clock's own call, remembered by the host so that a crash
 * can cancel it, and run only if the host has not crashed since it was scheduled. An exception from
 * it is a violation (a real reactor logs it and goes on; so does the simulation).
 */
final class HostCall implements DelayedCall, Runnable {
  private final SimHost host;
  private final int incarnation;
  private Runnable body;
  private DelayedCall call;

  HostCall(SimHost host, Runnable body) {
    this.host = host;
    this.incarnation = host.incarnation();
    this.body = body;
  }

  void scheduled(DelayedCall clockCall) {
    this.call = clockCall;
  }

  @Override
  public void run() {
    host.forget(this);
    Runnable b = body;
    body = null;
    if (b != null && host.incarnation() == incarnation) {
      host.simulation().countEvent();
      host.simulation().runGuarded(host, "a timer", b);
    }
  }

  /** The host crashed: the call never runs. */
  void drop() {
    body = null;
    if (call.active()) {
      call.cancel();
    }
  }

  @Override
  public double getTime() {
    return call.getTime();
  }

  @Override
  public void cancel() {
    call.cancel();
    host.forget(this);
    body = null;
  }

  @Override
  public void reset(double secondsFromNow) {
    call.reset(secondsFromNow);
  }

  @Override
  public void delay(double seconds) {
    call.delay(seconds);
  }

  @Override
  public boolean active() {
    return call.active();
  }

  @Override
  public boolean cancelled() {
    return call.cancelled();
  }

  @Override
  public boolean called() {
    return call.called();
  }

  @Override
  public String toString() {
    return "DelayedCall{" + host.name() + ", time=" + call.getTime() + "}";
  }
}
