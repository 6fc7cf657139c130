/**
 * The {@code poetry} command line (picocli) over the poetry library ({@code dev.braid.poetry}):
 * {@code serve}, {@code transform-server}, {@code get}, {@code proxy}, {@code transform-proxy},
 * {@code demo}, {@code simulate} and {@code pending}. An application: it exports nothing, and it
 * alone ships an SLF4J provider (slf4j-simple, in its distribution's {@code lib/}).
 */
module dev.braid.poetry.cli {
  requires dev.braid.poetry;
  requires dev.braid.tls;
  requires dev.braid.web;
  requires info.picocli;
  requires org.slf4j;

  // poetry pending PID: attaches to another JVM and reads its reactors' MBeans over JMX (the RMI
  // connector is what the JVM's local agent speaks).
  requires jdk.attach;
  requires java.management;
  requires java.management.rmi;

  // picocli fills the commands' annotated fields by reflection.
  opens dev.braid.poetry.cli to
      info.picocli;
}
