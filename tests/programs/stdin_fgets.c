// fgets line by line: numbers lines, reverses each, keeps the longest; ungetc and scanf of numbers.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  char line[64], longest[64] = "";
  int n = 0, partial = 0;
  long long sum = 0;
  int c = getchar();
  if (c != EOF) ungetc(c, stdin);
  printf("first byte %d\n", c);
  while (fgets(line, sizeof line, stdin)) {
    size_t len = strlen(line);
    int full = len && line[len - 1] == '\n';
    if (full) line[--len] = 0;
    else partial++;
    if (len > strlen(longest)) strcpy(longest, line);
    for (size_t i = 0; i < len / 2; ++i) { char t = line[i]; line[i] = line[len - 1 - i]; line[len - 1 - i] = t; }
    char* end;
    long long v = strtoll(line, &end, 10);  // saturates on overflow, unlike sscanf
    if (end != line) sum += v;
    printf("%4d%c %s\n", ++n, full ? ':' : '+', line);
  }
  printf("lines %d partial %d longest [%s] sum %lld\n", n, partial, longest, sum);
  return 0;
}
