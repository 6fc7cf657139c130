/**
 * The poetry suite on Braid: poetry servers and client, the netstring transform service, the
 * caching proxy ({@code dev.braid.poetry}), and the {@code poetry} command line (not exported).
 */
module dev.braid.poetry {
  requires transitive dev.braid.reactor;
  requires transitive dev.braid.protocols;
  requires dev.braid.web;
  requires info.picocli;
  requires org.slf4j;

  // poetry pending PID: attaches to another JVM and reads its reactors' MBeans over JMX (the RMI
  // connector is what the JVM's local agent speaks).
  requires jdk.attach;
  requires java.management;
  requires java.management.rmi;

  exports dev.braid.poetry;

  // picocli fills the commands' annotated fields by reflection.
  opens dev.braid.poetry.cli to
      info.picocli;
}
