/**
 * The poetry suite on Braid: poetry servers and client, the netstring transform service and the
 * caching proxy. The {@code poetry} command line that runs them is a module of its own ({@code
 * dev.braid.poetry.cli}, in {@code braid-poetry-cli}), so that using the library brings neither
 * picocli nor a logging provider.
 */
module dev.braid.poetry {
  requires transitive dev.braid.reactor;
  requires transitive dev.braid.protocols;
  requires org.slf4j;

  exports dev.braid.poetry;

  // The proxy's shared caches (--cache URL), e.g. braid-poetry-redis's.
  uses dev.braid.poetry.PoemCacheProvider;
}
