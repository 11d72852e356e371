/* The benchmark's read floor: walks folders and reads every *.md file once, in one process,
 * with open/read into one reused buffer (no pipe, no fork per file, unlike `cat`).
 *   readfloor DIR...     prints "FILES BYTES" */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "walk.h"

static char buffer[1 << 16];
static unsigned long long files, bytes;

static void readOne(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { perror(path); exit(1); }
    ssize_t r;
    while ((r = read(fd, buffer, sizeof buffer)) > 0) bytes += (unsigned long long)r;
    if (r < 0) { perror(path); exit(1); }
    close(fd);
    files++;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) walk(argv[i], readOne);
    printf("%llu %llu\n", files, bytes);
    return 0;
}
