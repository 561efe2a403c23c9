// Interleaved stdout and stderr: buffered and unbuffered writes, setvbuf, puts/fputc/fwrite, perror.
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  fprintf(stderr, "e1\n");
  printf("o1\n");
  fputs("e2 ", stderr);
  fputc('x', stderr);
  fputc('\n', stderr);
  puts("o2");
  fwrite("o3\n", 1, 3, stdout);
  fflush(stdout);
  errno = ENOENT;  // a message glibc and musl word alike
  perror("perror says");
  fprintf(stderr, "strerror(EINVAL) = %s\n", strerror(EINVAL));
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < 5; ++i) {
    printf("o%d ", 4 + i);
    fprintf(stderr, "e%d ", 3 + i);
  }
  printf("\n");
  // A long write in one call, and many short ones.
  static char big[200000];
  for (size_t i = 0; i < sizeof big; ++i) big[i] = "abcdefghijklmnopqrstuvwxyz\n"[i % 27];
  fwrite(big, 1, sizeof big, stdout);
  for (int i = 0; i < 3000; ++i) fprintf(stderr, "%d%c", i, i % 20 == 19 ? '\n' : ' ');
  printf("done %d\n", ferror(stdout));
  return 0;
}
