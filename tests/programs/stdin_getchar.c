// getchar/putchar filter: rot13 of letters, hex of control bytes, running column count.
#include <stdio.h>

int main(void) {
  int c, col = 0, total = 0;
  while ((c = getchar()) != EOF) {
    total++;
    if (c >= 'a' && c <= 'z') c = 'a' + (c - 'a' + 13) % 26;
    else if (c >= 'A' && c <= 'Z') c = 'A' + (c - 'A' + 13) % 26;
    if (c == '\n') { printf(" <%d>\n", col); col = 0; continue; }
    if (c < 32 || c > 126) { col += printf("\\x%02x", c); continue; }
    putchar(c);
    col++;
  }
  printf("\n[total %d]\n", total);
  return total % 256;
}
