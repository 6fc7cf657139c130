package dev.braid.poetry.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Asks the Braid reactors of another JVM what they are waiting on: attaches to the process with the
 * JDK's Attach API ({@code jdk.attach}), starts its local JMX agent (as {@code jcmd PID
 * ManagementAgent.start_local} does: loopback only, for the same user), and calls the {@code
 * dumpPending} operation of every {@code dev.braid:type=Reactor} MBean it finds.
 *
 * <p>Needs the same user as the target, a target JVM that allows attaching (the default; not {@code
 * -XX:+DisableAttachMechanism}), and a JDK (not a bare JRE) on both sides.
 */
final class RemoteReactors {
  private RemoteReactors() {}

  /** Attaching or asking failed: the message is one line for the user. */
  static final class RemoteException extends Exception {
    private static final long serialVersionUID = 1L;

    RemoteException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** One reactor's answer: its MBean's name and the dump. */
  record Dump(String name, String text) {}

  /**
   * Dumps every reactor of process {@code pid}.
   *
   * @param dot true for Graphviz DOT instead of text
   * @param track true to turn debug mode on in the process first
   * @return the dumps, by MBean name
   * @throws RemoteException when the process cannot be reached or runs no reactor
   */
  static List<Dump> dump(long pid, boolean dot, boolean track) throws RemoteException {
    if (pid == ProcessHandle.current().pid()) {
      throw new RemoteException("process " + pid + " is this command itself", null);
    }
    if (ProcessHandle.of(pid).isEmpty()) {
      throw new RemoteException("no process with PID " + pid, null);
    }
    // Attaching signals the target (SIGQUIT) to start its attach listener, which would kill a
    // process that is not a JVM: ask only the JVMs that this user's jps would list.
    boolean listed =
        VirtualMachine.list().stream().anyMatch(vm -> vm.id().equals(Long.toString(pid)));
    if (!listed) {
      throw new RemoteException(
          "process "
              + pid
              + " is not a Java process that this user can attach to (it is not among those"
              + " 'jps' lists)",
          null);
    }
    String address = localAgent(pid);
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      Set<ObjectName> names = new TreeSet<>(server.queryNames(new ObjectName(PATTERN), null));
      if (names.isEmpty()) {
        throw new RemoteException(
            "process " + pid + " runs no Braid reactor (no JMX MBean " + PATTERN + ")", null);
      }
      if (track) {
        server.setAttribute(names.iterator().next(), new Attribute("Debugging", true));
      }
      List<Dump> dumps = new ArrayList<>();
      for (ObjectName name : names) {
        String text =
            (String) server.invoke(name, dot ? "dumpPendingDot" : "dumpPending", null, null);
        dumps.add(new Dump(name.toString(), text));
      }
      return dumps;
    } catch (IOException e) {
      throw new RemoteException(
          "cannot talk to the JMX agent of process " + pid + ": " + message(e), e);
    } catch (JMException e) {
      throw new RemoteException("process " + pid + " did not answer the dump: " + message(e), e);
    }
  }

  /** The MBeans of Braid's reactors. */
  static final String PATTERN = "dev.braid:type=Reactor,*";

  /** Attaches, starts (or finds) the local JMX agent, and returns its address. */
  private static String localAgent(long pid) throws RemoteException {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      throw new RemoteException(
          "cannot attach to process "
              + pid
              + " (is it a Java 25 process of the same user, with attaching allowed?): "
              + message(e),
          e);
    }
    try {
      return vm.startLocalManagementAgent();
    } catch (IOException e) {
      throw new RemoteException(
          "cannot start the JMX agent of process " + pid + ": " + message(e), e);
    } finally {
      try {
        vm.detach();
      } catch (IOException e) {
        // detached or gone: nothing to release
      }
    }
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return Failures.oneLine(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
  }
}
