// abort() and other traps after output: a trap must not lose what was flushed before it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int zero = 0;
static int deep(int n) { return n == 0 ? 10 / zero : deep(n - 1) + 1; }

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "abort";
  printf("before %s\n", mode);
  fflush(stdout);
  fprintf(stderr, "stderr before %s\n", mode);
  if (!strcmp(mode, "abort")) abort();
  if (!strcmp(mode, "div")) printf("%d\n", deep(5));
  if (!strcmp(mode, "oob")) {
    volatile int* p = (int*)0x7ffffff0;  // far beyond any memory a small program has
    printf("%d\n", *p);
  }
  if (!strcmp(mode, "unreachable")) __builtin_trap();
  printf("not reached\n");
  return 0;
}
