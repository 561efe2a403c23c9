// malloc/calloc/realloc/free churn over a pool of live blocks, with content checks.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512
static uint32_t state = 12345;
static uint32_t next(void) { state = state * 1103515245u + 12345u; return state >> 8; }

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200000;
  unsigned char* ptr[SLOTS] = {0};
  size_t len[SLOTS] = {0};
  unsigned char tag[SLOTS] = {0};
  unsigned long long live = 0, peak = 0, bad = 0, ops[4] = {0};
  for (int r = 0; r < rounds; ++r) {
    unsigned s = next() % SLOTS, op = next() % 4;
    size_t want = next() % (next() % 8 == 0 ? 65536 : 256) + 1;
    if (ptr[s]) {  // verify the old contents before touching the slot
      for (size_t i = 0; i < len[s]; i += 97) bad += ptr[s][i] != (unsigned char)(tag[s] + i);
    }
    ops[op]++;
    if (op == 0 && ptr[s]) {
      live -= len[s]; free(ptr[s]); ptr[s] = 0; len[s] = 0;
    } else if (op == 1 && ptr[s]) {
      unsigned char* p = realloc(ptr[s], want);
      if (!p) { puts("realloc failed"); return 2; }
      size_t keep = want < len[s] ? want : len[s];
      for (size_t i = 0; i < keep; i += 97) bad += p[i] != (unsigned char)(tag[s] + i);
      for (size_t i = 0; i < want; ++i) p[i] = (unsigned char)(tag[s] + i);
      live = live + want - len[s]; ptr[s] = p; len[s] = want;
    } else if (!ptr[s]) {
      unsigned char* p = op == 2 ? calloc(want, 1) : malloc(want);
      if (!p) { puts("malloc failed"); return 2; }
      if (op == 2) for (size_t i = 0; i < want; ++i) bad += p[i] != 0;
      tag[s] = (unsigned char)next();
      for (size_t i = 0; i < want; ++i) p[i] = (unsigned char)(tag[s] + i);
      ptr[s] = p; len[s] = want; live += want;
    }
    if (live > peak) peak = live;
  }
  for (unsigned s = 0; s < SLOTS; ++s) free(ptr[s]);
  printf("rounds %d ops %llu %llu %llu %llu peak %llu bad %llu\n", rounds, ops[0], ops[1], ops[2],
         ops[3], peak, bad);
  // One big allocation that forces memory.grow, filled and summed.
  size_t big = 6u << 20;
  uint32_t* b = malloc(big);
  if (!b) { puts("big malloc failed"); return 3; }
  uint64_t sum = 0;
  for (size_t i = 0; i < big / 4; ++i) b[i] = (uint32_t)(i * 2654435761u);
  for (size_t i = 0; i < big / 4; i += 3) sum += b[i];
  free(b);
  printf("big sum %llu\n", (unsigned long long)sum);
  return bad ? 1 : 0;
}
