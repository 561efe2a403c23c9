// snprintf: truncation and return values, '*' widths, positional arguments, building strings.
#include <stdio.h>
#include <string.h>

int main(void) {
  char b[16];
  for (size_t cap = 0; cap <= 12; cap += 3) {
    memset(b, '#', sizeof b);
    int r = snprintf(b, cap, "%s-%d", "truncate", 12345);
    printf("cap %zu ret %d buf [%.*s]\n", cap, r, cap ? (int)strlen(b) : 0, cap ? b : "");
  }
  printf("[%*d] [%-*d] [%.*f] [%*.*s]\n", 6, 42, 6, 42, 2, 3.14159, 8, 3, "abcdef");
  printf("[%2$s %1$s] [%3$*4$d]\n", "world", "hello", 7, 5);
  printf("[%#.3x] [%#o] [%+.2e] [%08.3f] [%-8.3f|] [% 08d]\n", 10, 0, 12345.678, -3.14159, 2.5, 77);
  char out[4096];
  size_t pos = 0;
  for (int i = 0; i < 300 && pos < sizeof out; ++i)
    pos += (size_t)snprintf(out + pos, sizeof out - pos, "%d%s", i * i, i % 10 == 9 ? "\n" : ",");
  fputs(out, stdout);
  printf("\nlen %zu\n", strlen(out));
  int r = snprintf(NULL, 0, "%0100d", 1);
  printf("null ret %d\n", r);
  char wide[300];
  snprintf(wide, sizeof wide, "%250s|", "x");
  printf("%zu %c\n", strlen(wide), wide[249]);
  printf("%s\n", sprintf(b, "%x", 0xabc) == 3 ? b : "bad");
  return 0;
}
