/* The floors' walk: every *.md under DIR (names starting with '.' skipped),
 * depth first, in directory order; `visit` gets each path. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void walk(const char *dir, void (*visit)(const char *path)) {
    DIR *d = opendir(dir);
    if (!d) { perror(dir); exit(1); }
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) { walk(path, visit); continue; }
        size_t n = strlen(e->d_name);
        if (e->d_type != DT_REG || n < 3 || strcmp(e->d_name + n - 3, ".md") != 0) continue;
        visit(path);
    }
    closedir(d);
}
