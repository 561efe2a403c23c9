// Ways to end a program: return N, exit(N) running atexit handlers and flushing stdio, _Exit(N)
// skipping both. The mode and code come from argv.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bye1(void) { printf("atexit 1\n"); }
static void bye2(void) { fprintf(stderr, "atexit 2 (registered last, runs first)\n"); }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "return";
  int code = argc > 2 ? atoi(argv[2]) : 0;
  atexit(bye1);
  atexit(bye2);
  printf("mode %s code %d", mode, code);  // no newline: stays in the stdout buffer
  fputs(" (to stderr)\n", stderr);
  if (!strcmp(mode, "exit")) exit(code);
  if (!strcmp(mode, "_Exit")) {
    fflush(stdout);
    printf(" this buffered tail is lost");  // no newline: lost even if stdout is a tty
    _Exit(code);
  }
  if (!strcmp(mode, "deep")) {
    for (int i = 0; i < 1000; ++i)
      if (i == 999) exit(code + i % 7);
  }
  printf("\n");
  return code;
}
