/**
 * The poetry suite on Braid: poetry servers and client, the netstring transform service, the
 * caching proxy ({@code dev.braid.poetry}), and the whole suite simulated under seeded faults
 * ({@code dev.braid.poetry.sim}). The {@code poetry} command line that runs them is a module of its
 * own ({@code dev.braid.poetry.cli}, in {@code braid-poetry-cli}), so that using the library brings
 * neither picocli nor a logging provider.
 */
module dev.braid.poetry {
  requires transitive dev.braid.reactor;
  requires transitive dev.braid.protocols;
  requires transitive dev.braid.tls;
  requires transitive dev.braid.sim;
  requires org.slf4j;

  exports dev.braid.poetry;
  exports dev.braid.poetry.sim;

  // The proxy's shared caches (--cache URL), e.g. braid-poetry-redis's.
  uses dev.braid.poetry.PoemCacheProvider;
}
