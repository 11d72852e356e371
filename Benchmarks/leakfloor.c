/* The leak benchmark's scan floor (issue 29): the least work per byte that any scanner
 * following SPEC section 10 must do, whatever its decoding.
 *   leakfloor [-j THREADS] [-n WINDOWS] DIR...    prints "FILES BYTES WORDS HITS"
 * Walks every regular file below DIR (names starting with '.' skipped), then THREADS workers
 * (default 2) take the files in turn; each reads its file whole with open/read into a reused
 * buffer, splits it into words (an ASCII letter or digit, or any byte >= 0x80, is a word
 * byte: no Unicode tables, no NFC, no entity, escape, markup or gzip decoding), hashes each
 * lowercased word (FNV-1a, splitmix64's finalizer), hashes the window of the last 8 words
 * and looks it up in an open-addressing set of WINDOWS random hashes (default 200000, about
 * the size of the benchmark corpus's index), a bit array of the hashes asked first. A real
 * scanner does all of this and more. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **paths;
static size_t npaths, cap;
static uint64_t *set;
static uint64_t mask;
static size_t next;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long total_bytes, total_words, total_hits;

static void add(const char *p) {
    if (npaths == cap) { cap = cap ? cap * 2 : 1024; paths = realloc(paths, cap * sizeof *paths); }
    paths[npaths++] = strdup(p);
}

static void walk(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { perror(dir); exit(1); }
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) walk(path);
        else if (e->d_type == DT_REG) add(path);
    }
    closedir(d);
}

static inline uint64_t mix(uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A bit per hash's top bits, at least 16 bits per window (512 KB for 200000: it stays in L2),
 * asked first: the table (4 MB for 200000) is touched by a window in 20 only. */
static uint64_t *bits;
static unsigned shift;

static inline int lookup(uint64_t h) {
    if (!(bits[h >> shift >> 6] >> ((h >> shift) & 63) & 1)) return 0;
    if (h == 0) h = 1;
    for (uint64_t s = h & mask;; s = (s + 1) & mask) {
        if (set[s] == h) return 1;
        if (set[s] == 0) return 0;
    }
}

/* 1 for a word byte: ASCII letters and digits, every byte >= 0x80. */
static unsigned char wordbyte[256];

static void *worker(void *arg) {
    (void)arg;
    size_t size = 1 << 20;
    unsigned char *buf = malloc(size);
    unsigned long long bytes = 0, words = 0, hits = 0;
    for (;;) {
        size_t i = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED);
        if (i >= npaths) break;
        int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) { perror(paths[i]); exit(1); }
        struct stat st;
        fstat(fd, &st);
        if ((size_t)st.st_size + 1 > size) { size = st.st_size + 1; buf = realloc(buf, size); }
        size_t n = 0;
        ssize_t r;
        while ((r = read(fd, buf + n, size - n)) > 0) n += r;
        close(fd);
        bytes += n;
        uint64_t ring[8] = {0};
        unsigned count = 0;
        uint64_t h = 0;
        int in = 0;
        buf[n] = ' ';
        for (size_t k = 0; k <= n; k++) {
            unsigned char c = buf[k];
            if (wordbyte[c]) {
                if (!in) { h = 0xcbf29ce484222325ULL; in = 1; }
                if (c - 'A' < 26u) c |= 0x20;
                h = (h ^ c) * 0x100000001b3ULL;
            } else if (in) {
                in = 0;
                ring[count++ & 7] = mix(h);
                words++;
                if (count >= 8) {
                    uint64_t w = 0;
                    for (unsigned j = 0; j < 8; j++) w = w * 0x100000001b3ULL + ring[(count + j) & 7];
                    hits += lookup(mix(w));
                }
            }
        }
    }
    pthread_mutex_lock(&lock);
    total_bytes += bytes, total_words += words, total_hits += hits;
    pthread_mutex_unlock(&lock);
    free(buf);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 2;
    size_t windows = 200000;
    int opt;
    while ((opt = getopt(argc, argv, "j:n:")) != -1) {
        if (opt == 'j') threads = atoi(optarg);
        else if (opt == 'n') windows = strtoull(optarg, NULL, 10);
        else return 2;
    }
    for (int c = 0; c < 256; c++)
        wordbyte[c] = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
    uint64_t capacity = 16;
    while (capacity < windows * 2) capacity *= 2;
    mask = capacity - 1;
    set = calloc(capacity, sizeof *set);
    unsigned bitsLog = 16;
    while ((1ULL << bitsLog) < windows * 16) bitsLog++;
    shift = 64 - bitsLog;
    bits = calloc((1ULL << bitsLog) / 64, sizeof *bits);
    for (size_t k = 0; k < windows; k++) {
        uint64_t h = mix(k * 0x9e3779b97f4a7c15ULL + 12345);
        if (h == 0) h = 1;
        uint64_t s = h & mask;
        while (set[s]) s = (s + 1) & mask;
        set[s] = h;
        bits[h >> shift >> 6] |= 1ULL << ((h >> shift) & 63);
    }
    for (int i = optind; i < argc; i++) walk(argv[i]);
    pthread_t t[64];
    if (threads < 1 || threads > 64) return 2;
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    printf("%zu %llu %llu %llu\n", npaths, total_bytes, total_words, total_hits);
    return 0;
}
