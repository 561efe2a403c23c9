/* A WASI command: prints its arguments and a line to stdout, a line to stderr, exits 0. */
#include <stdio.h>

int main(int argc, char **argv) {
  printf("hello from ipvm\n");
  for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
  fprintf(stderr, "this goes to stderr\n");
  return 0;
}
