// A brainf*** interpreter: reads the program from argv[1] or stdin (up to a '!'), then runs it
// with the rest of stdin as its input. Precomputed jumps; 30000-cell tape.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Prints "Hello World!\n", then squares 0..10000 (a classic benchmark program, shortened).
static const char* kDefault =
    "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++."
    ">>>++++[>+++++<-]>[<+++++>-]+<+[>[>+>+<<-]++>>[<<+>>-]>>>[-]++>[-]+>>>+[[-]++++++>>>]<<<[[<++++++++<++>>-]"
    "+<.<[>----<-]<]<<[>>>>>[>>>[-]+++++++++<[>-<-]+++++++++>[-[<->-]+[<<<]]<[>+<-]>]<<-]<<-]";

int main(int argc, char** argv) {
  char* prog;
  if (argc > 1 && strcmp(argv[1], "-") == 0) {
    size_t cap = 1 << 16, n = 0;
    prog = malloc(cap);
    int c;
    while ((c = getchar()) != EOF && c != '!' && n + 1 < cap) prog[n++] = (char)c;
    prog[n] = 0;
  } else {
    prog = strdup(argc > 1 ? argv[1] : kDefault);
  }
  size_t len = strlen(prog);
  size_t* jump = calloc(len + 1, sizeof *jump);
  size_t* stack = malloc((len + 1) * sizeof *stack);
  size_t sp = 0;
  for (size_t i = 0; i < len; ++i) {
    if (prog[i] == '[') stack[sp++] = i;
    else if (prog[i] == ']') {
      if (!sp) { fprintf(stderr, "unbalanced ] at %zu\n", i); return 2; }
      size_t j = stack[--sp];
      jump[i] = j; jump[j] = i;
    }
  }
  if (sp) { fprintf(stderr, "unbalanced [\n"); return 2; }
  unsigned char tape[30000] = {0};
  size_t dp = 0;
  unsigned long long steps = 0;
  for (size_t pc = 0; pc < len; ++pc, ++steps) {
    switch (prog[pc]) {
      case '>': dp = (dp + 1) % 30000; break;
      case '<': dp = (dp + 29999) % 30000; break;
      case '+': tape[dp]++; break;
      case '-': tape[dp]--; break;
      case '.': putchar(tape[dp]); break;
      case ',': { int c = getchar(); tape[dp] = c == EOF ? 0 : (unsigned char)c; break; }
      case '[': if (!tape[dp]) pc = jump[pc]; break;
      case ']': if (tape[dp]) pc = jump[pc]; break;
    }
  }
  fprintf(stderr, "steps %llu\n", steps);
  free(prog); free(jump); free(stack);
  return 0;
}
