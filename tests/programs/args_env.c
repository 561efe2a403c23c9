// argv and the environment: prints every argument and variable, looks some up with getenv.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

int main(int argc, char** argv) {
  // argv[0] is the program's file name; print its stem so native and wasm builds agree.
  const char* base = strrchr(argv[0], '/');
  base = base ? base + 1 : argv[0];
  printf("argc %d prog %.*s\n", argc, (int)strcspn(base, "."), base);
  for (int i = 1; i < argc; ++i) printf("argv[%d] = [%s] (%zu)\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc] is null: %d\n", argv[argc] == NULL);
  int n = 0;
  for (char** e = environ; e && *e; ++e) printf("env %d: %s\n", n++, *e);
  const char* keys[] = {"FOO", "EMPTY", "WITH_EQ", "MISSING", "PATH"};
  for (unsigned i = 0; i < 5; ++i) {
    const char* v = getenv(keys[i]);
    printf("getenv(%s) = %s%s%s\n", keys[i], v ? "[" : "", v ? v : "(null)", v ? "]" : "");
  }
  setenv("NEW", "1", 0);
  setenv("FOO", "changed", 1);
  unsetenv("EMPTY");
  printf("after: NEW=%s FOO=%s EMPTY=%s\n", getenv("NEW"), getenv("FOO"), getenv("EMPTY") ? "set" : "unset");
  return argc;
}
