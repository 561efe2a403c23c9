// An LZ77 compressor with a hash chain, and its decompressor: compresses stdin (or a generated
// text), prints sizes and checksums, and checks the round trip.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIN 4096
#define MINM 3
#define MAXM 18
#define HBITS 14

static size_t compress(const uint8_t* in, size_t n, uint8_t* out) {
  int32_t* head = malloc(sizeof(int32_t) << HBITS);
  int32_t* prev = malloc(sizeof(int32_t) * (n + 1));
  for (int i = 0; i < (1 << HBITS); ++i) head[i] = -1;
  size_t o = 0, i = 0;
  while (i < n) {
    size_t flag_at = o++;
    uint8_t flags = 0;
    for (int bit = 0; bit < 8 && i < n; ++bit) {
      size_t best = 0, bdist = 0;
      if (i + MINM <= n) {
        uint32_t h = ((in[i] << 10) ^ (in[i + 1] << 5) ^ in[i + 2]) & ((1 << HBITS) - 1);
        int chain = 64;
        for (int32_t c = head[h]; c >= 0 && i - (size_t)c < WIN && chain--; c = prev[c]) {
          size_t l = 0;
          while (l < MAXM && i + l < n && in[c + l] == in[i + l]) ++l;
          if (l > best) { best = l; bdist = i - (size_t)c; }
        }
        prev[i] = head[h];
        head[h] = (int32_t)i;
      }
      if (best >= MINM) {
        flags |= (uint8_t)(1 << bit);
        out[o++] = (uint8_t)((bdist - 1) & 0xff);
        out[o++] = (uint8_t)(((bdist - 1) >> 8) << 4 | (best - MINM));
        for (size_t k = 1; k < best; ++k) {  // index the skipped positions too
          size_t p = i + k;
          if (p + MINM <= n) {
            uint32_t h = ((in[p] << 10) ^ (in[p + 1] << 5) ^ in[p + 2]) & ((1 << HBITS) - 1);
            prev[p] = head[h];
            head[h] = (int32_t)p;
          }
        }
        i += best;
      } else {
        out[o++] = in[i++];
      }
    }
    out[flag_at] = flags;
  }
  free(head); free(prev);
  return o;
}
static size_t decompress(const uint8_t* in, size_t n, uint8_t* out) {
  size_t i = 0, o = 0;
  while (i < n) {
    uint8_t flags = in[i++];
    for (int bit = 0; bit < 8 && i < n; ++bit) {
      if (flags & (1 << bit)) {
        size_t dist = (in[i] | (size_t)(in[i + 1] >> 4) << 8) + 1, len = (in[i + 1] & 15) + MINM;
        i += 2;
        for (size_t k = 0; k < len; ++k, ++o) out[o] = out[o - dist];
      } else out[o++] = in[i++];
    }
  }
  return o;
}
static uint32_t adler(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; ++i) { a = (a + p[i]) % 65521; b = (b + a) % 65521; }
  return b << 16 | a;
}

int main(int argc, char** argv) {
  size_t cap = 1 << 16, n = 0;
  uint8_t* in = malloc(cap);
  if (argc > 1 && strcmp(argv[1], "-") == 0) {
    size_t r;
    while ((r = fread(in + n, 1, cap - n, stdin)) > 0)
      if ((n += r) == cap) in = realloc(in, cap *= 2);
  } else {
    const char* words[] = {"lorem ", "ipsum ", "dolor ", "sit ", "amet, ", "consectetur ", "adipiscing ", "elit\n"};
    uint32_t s = 1;
    in = realloc(in, cap = 150000);
    while (n + 16 < cap) { s = s * 1103515245u + 12345u; const char* w = words[(s >> 16) % 8]; memcpy(in + n, w, strlen(w)); n += strlen(w); }
  }
  uint8_t* z = malloc(n + n / 8 + 16);
  size_t zn = compress(in, n, z);
  uint8_t* back = malloc(n + 1);
  size_t bn = decompress(z, zn, back);
  printf("in %zu adler %08x -> %zu adler %08x -> %zu ok %d\n", n, adler(in, n), zn, adler(z, zn), bn,
         bn == n && memcmp(in, back, n) == 0);
  free(in); free(z); free(back);
  return 0;
}
