// What a program sees without a filesystem: opening, listing, creating and removing files all fail
// cleanly with an errno (never a crash or an abort of the host), and stdio keeps working after.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char* what, int failed) {
  printf("%-24s %s%s\n", what, failed ? "fails: " : "succeeds", failed ? strerror(errno) : "");
  errno = 0;
}

int main(void) {
  errno = 0;
  report("fopen(/etc/passwd, r)", fopen("/etc/passwd", "r") == NULL);
  report("fopen(out.txt, w)", fopen("out.txt", "w") == NULL);
  report("open(., O_RDONLY)", open(".", O_RDONLY) < 0);
  report("opendir(/)", opendir("/") == NULL);
  struct stat st;
  report("stat(/)", stat("/", &st) != 0);
  report("mkdir(d)", mkdir("d", 0755) != 0);
  report("remove(x)", remove("x") != 0);
  report("rename(a, b)", rename("a", "b") != 0);
  char cwd[256];
  report("getcwd", getcwd(cwd, sizeof cwd) == NULL);
  report("chdir(/tmp)", chdir("/tmp") != 0);
  report("read(fd 7)", read(7, cwd, 1) < 0);
  report("write(fd 9)", write(9, "x", 1) < 0);
  report("close(fd 5)", close(5) != 0);
  report("lseek(stdout)", lseek(1, 0, SEEK_SET) < 0);
  report("fstat(stdin)", fstat(0, &st) != 0);
  printf("isatty: %d %d %d\n", isatty(0), isatty(1), isatty(2));
  fprintf(stderr, "stderr still works\n");
  printf("stdout still works\n");
  return 0;
}
