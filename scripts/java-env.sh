# Sourced by the project's scripts: finds a JDK >= 25 and exports JAVA_HOME and SONOGATE_JAVA.
# Order: $JAVA_HOME if it is 25 or newer, then /usr/lib/jvm/*25*, else a clear error.
sonogate_java_major() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
sonogate_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    local v; v=$(sonogate_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  local d
  for d in /usr/lib/jvm/*25* /usr/lib/jvm/*-2[6-9]* ; do
    if [ -x "$d/bin/javac" ]; then echo "$d"; return 0; fi
  done
  return 1
}
if ! SONOGATE_JDK=$(sonogate_find_jdk); then
  echo "sonogate: needs JDK 25 (javac and java). Set JAVA_HOME to a JDK 25, or install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository)." >&2
  exit 1
fi
export JAVA_HOME="$SONOGATE_JDK"
export SONOGATE_JAVA="$JAVA_HOME/bin/java"
# Maven 3.8's bundled Guice touches sun.misc.Unsafe; keep JDK 25's notice about it off the console.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow -XX:+IgnoreUnrecognizedVMOptions"
