package dev.braid.reactor;

import dev.braid.defer.Deferred;
import dev.braid.defer.PendingDeferreds;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reactor's {@link ReactorMXBean}, and its registration in the platform MBean server for as long
 * as the reactor runs. Registration never stops a reactor: a failure is logged at debug level and
 * the reactor runs without its MBean.
 */
final class ReactorJmx implements ReactorMXBean {
  private static final Logger LOG = LoggerFactory.getLogger(ReactorJmx.class);

  /** The JMX domain and type of every reactor's MBean. */
  static final String PATTERN = "dev.braid:type=Reactor,*";

  private final SelectorReactor reactor;
  private final Thread thread;
  private ObjectName name;

  private ReactorJmx(SelectorReactor reactor, Thread thread) {
    this.reactor = reactor;
    this.thread = thread;
  }

  /**
   * Registers {@code reactor}'s MBean under its thread's name, or {@code name#id} if that is taken.
   *
   * @return the registration, to {@link #unregister()} when the reactor stops
   */
  static ReactorJmx register(SelectorReactor reactor, Thread thread, int id) {
    ReactorJmx jmx = new ReactorJmx(reactor, thread);
    if (!Boolean.parseBoolean(System.getProperty("braid.jmx", "true"))) {
      return jmx;
    }
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      ObjectName plain = objectName(thread.getName());
      try {
        server.registerMBean(jmx, plain);
        jmx.name = plain;
      } catch (InstanceAlreadyExistsException taken) {
        ObjectName numbered = objectName(thread.getName() + "#" + id);
        server.registerMBean(jmx, numbered);
        jmx.name = numbered;
      }
    } catch (JMException | RuntimeException | LinkageError e) {
      LOG.debug("cannot register the JMX MBean of {}", reactor, e);
    }
    return jmx;
  }

  /** {@return {@code dev.braid:type=Reactor,name=<name>}, the name quoted if it must be} */
  static ObjectName objectName(String threadName) throws MalformedObjectNameException {
    String value = threadName;
    if (value.isEmpty() || value.chars().anyMatch(c -> ",=:\"*?\n".indexOf(c) >= 0)) {
      value = ObjectName.quote(value);
    }
    return new ObjectName("dev.braid:type=Reactor,name=" + value);
  }

  /** {@return the name it is registered under, or null if it is not} */
  ObjectName name() {
    return name;
  }

  void unregister() {
    ObjectName registered = name;
    if (registered == null) {
      return;
    }
    name = null;
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
    } catch (JMException | RuntimeException e) {
      LOG.debug("cannot unregister the JMX MBean of {}", reactor, e);
    }
  }

  @Override
  public String getThreadName() {
    return thread.getName();
  }

  @Override
  public String getState() {
    return reactor.stateName();
  }

  @Override
  public int getConnectionCount() {
    return reactor.inside().connections().size();
  }

  @Override
  public int getListeningPortCount() {
    return reactor.inside().ports().size();
  }

  @Override
  public int getDelayedCallCount() {
    return reactor.inside().timers().size();
  }

  @Override
  public int getPendingDeferredCount() {
    return PendingDeferreds.of(thread).pending().size();
  }

  @Override
  public boolean isDebugging() {
    return Deferred.isDebugging();
  }

  @Override
  public void setDebugging(boolean on) {
    Deferred.setDebugging(on);
  }

  @Override
  public long getSlowCallbackThresholdMillis() {
    return reactor.slowCallbackThreshold().toMillis();
  }

  @Override
  public void setSlowCallbackThresholdMillis(long millis) {
    reactor.setSlowCallbackThreshold(Duration.ofMillis(millis));
  }

  @Override
  public String dumpPending() {
    return reactor.dumpPending();
  }

  @Override
  public String dumpPendingDot() {
    return reactor.dumpPendingDot();
  }
}
