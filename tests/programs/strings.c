// string.h: lengths, comparisons, copies, searches, tokenizing, overlapping moves.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  const char* s = "The quick brown fox jumps over the lazy dog";
  printf("strlen %zu strnlen %zu\n", strlen(s), strnlen(s, 10));
  printf("strchr %s | strrchr %s | strstr %s\n", strchr(s, 'q'), strrchr(s, 'o'), strstr(s, "lazy"));
  printf("strstr none %d\n", strstr(s, "cat") == NULL);
  printf("strspn %zu strcspn %zu strpbrk %s\n", strspn(s, "ehT "), strcspn(s, "xyz"), strpbrk(s, "jv"));
  int c1 = strcmp("abc", "abd"), c2 = strcmp("b", "a"), c3 = strncmp("abcX", "abcY", 3);
  printf("cmp %d %d %d memcmp %d\n", c1 < 0 ? -1 : c1 > 0, c2 > 0, c3, memcmp("\xff", "\x01", 1) > 0);
  char buf[128];
  strcpy(buf, "hello");
  strcat(buf, ", ");
  strncat(buf, "world!!!", 6);
  printf("%s (%zu)\n", buf, strlen(buf));
  char nb[8];
  memset(nb, 'Z', sizeof nb);
  strncpy(nb, "ab", sizeof nb);
  for (unsigned i = 0; i < sizeof nb; ++i) printf("%02x", (unsigned char)nb[i]);
  putchar('\n');
  char ov[32] = "0123456789abcdef";
  memmove(ov + 4, ov, 10);
  printf("memmove fwd %s\n", ov);
  memmove(ov, ov + 6, 10);
  printf("memmove back %s\n", ov);
  char line[] = "alpha,beta;;gamma , delta,,epsilon";
  int n = 0;
  for (char* t = strtok(line, ",; "); t; t = strtok(NULL, ",; ")) printf("tok%d=%s ", n++, t);
  putchar('\n');
  char* d = strdup(s);
  for (char* p = d; *p; ++p) *p = islower((unsigned char)*p) ? toupper((unsigned char)*p) : tolower((unsigned char)*p);
  printf("%s\n", d);
  free(d);
  char* m = memchr(s, 'z', strlen(s));
  printf("memchr at %td\n", m - s);
  // A bigger workload: build a long string and search it.
  size_t big = 1 << 20;
  char* h = malloc(big + 1);
  for (size_t i = 0; i < big; ++i) h[i] = 'a' + (char)((i * 7 + i / 13) % 26);
  h[big] = 0;
  memcpy(h + big - 20, "needle-in-haystack", 18);
  char* f = strstr(h, "needle");
  size_t cnt = 0;
  for (char* p = h; (p = strchr(p, 'q')); ++p) cnt++;
  printf("needle at %td, q count %zu, len %zu\n", f ? f - h : -1, cnt, strlen(h));
  free(h);
  return 0;
}
