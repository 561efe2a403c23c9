// Reads all of stdin with fread in odd-sized chunks: byte count, lines, words, checksum, histogram.
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>

int main(void) {
  static unsigned char buf[777];
  unsigned long long bytes = 0, lines = 0, words = 0, hist[256] = {0};
  uint32_t crc = 0xffffffffu;
  int inword = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
    for (size_t i = 0; i < n; ++i) {
      unsigned char c = buf[i];
      bytes++;
      hist[c]++;
      lines += c == '\n';
      if (isspace(c)) inword = 0;
      else if (!inword) { inword = 1; words++; }
      crc ^= c;
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  }
  printf("%llu %llu %llu crc32 %08x eof %d error %d\n", lines, words, bytes, crc ^ 0xffffffffu,
         feof(stdin) != 0, ferror(stdin) != 0);
  for (int c = 0; c < 256; ++c)
    if (hist[c] > bytes / 40) printf("byte %3d: %llu\n", c, hist[c]);
  return 0;
}
