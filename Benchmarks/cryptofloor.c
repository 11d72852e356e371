/* The benchmark's crypto floor: what any audit that follows the spec must spend on a keyed,
 * signed corpus before it parses anything. One process walks the folders (as readfloor.c
 * does), then THREADS threads take the files in turn and, for each, open/read it, compute
 * HMAC-SHA256 over all its bytes (the signature covers nearly the whole record) and run
 * AES-256-CBC decryption over as many bytes as its `secured` value's base64 holds (3/4 of
 * its length; the bytes are not decoded, so this is a lower bound). The HMAC key is set up
 * once per thread and each record only resets it (the cheapest OpenSSL 3 allows).
 * No YAML, no UTF-8 check, no base64 decoding, no allocation per record.
 *   cryptofloor THREADS DIR...     prints "FILES BYTES CIPHERTEXT-BYTES" */
#define _GNU_SOURCE
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "walk.h"

static char **paths;
static size_t count, capacity;
static atomic_size_t next;
static atomic_ullong totalBytes, totalCipher;

static void add(const char *path) {
    if (count == capacity) {
        capacity = capacity ? 2 * capacity : 1024;
        paths = realloc(paths, capacity * sizeof *paths);
    }
    paths[count++] = strdup(path);
}

static void *worker(void *unused) {
    (void)unused;
    static const unsigned char macKey[32] = {1}, encKey[32] = {2}, iv[16] = {3};
    unsigned char *buffer = malloc(1 << 24), *plain = malloc((1 << 24) + 32), tag[32];
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *hmac = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                           OSSL_PARAM_construct_end()};
    if (!EVP_MAC_init(hmac, macKey, sizeof macKey, params)) exit(2);
    EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
    EVP_CIPHER_CTX *cipher = EVP_CIPHER_CTX_new();
    unsigned long long bytes = 0, cipherBytes = 0;
    for (;;) {
        size_t i = atomic_fetch_add_explicit(&next, 1, memory_order_relaxed);
        if (i >= count) break;
        int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0) { perror(paths[i]); exit(1); }
        size_t n = 0;
        ssize_t r;
        while ((r = read(fd, buffer + n, (1 << 24) - n)) > 0) n += (size_t)r;
        close(fd);
        bytes += n;
        size_t outLength = sizeof tag;
        if (!EVP_MAC_init(hmac, NULL, 0, NULL) || !EVP_MAC_update(hmac, buffer, n)
            || !EVP_MAC_final(hmac, tag, &outLength, sizeof tag)) exit(2);
        unsigned char *value = memmem(buffer, n, "\nsecured: \"", 11);
        if (!value) continue;
        value += 11;
        unsigned char *end = memchr(value, ';', n - (size_t)(value - buffer));
        if (!end) continue;
        int blocks = (int)((size_t)(end - value) * 3 / 4 / 16) * 16, written = 0;
        if (!EVP_DecryptInit_ex2(cipher, aes, encKey, iv, NULL)) exit(2);
        EVP_CIPHER_CTX_set_padding(cipher, 0);
        if (!EVP_DecryptUpdate(cipher, plain, &written, buffer, blocks)) exit(2);
        cipherBytes += (unsigned long long)blocks;
    }
    atomic_fetch_add(&totalBytes, bytes);
    atomic_fetch_add(&totalCipher, cipherBytes);
    EVP_CIPHER_CTX_free(cipher);
    EVP_CIPHER_free(aes);
    EVP_MAC_CTX_free(hmac);
    EVP_MAC_free(mac);
    free(buffer);
    free(plain);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: cryptofloor THREADS DIR...\n"); return 2; }
    int threads = atoi(argv[1]);
    if (threads < 1 || threads > 64) { fprintf(stderr, "THREADS: 1 to 64\n"); return 2; }
    for (int i = 2; i < argc; i++) walk(argv[i], add);
    pthread_t ids[64];
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, worker, NULL);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    printf("%zu %llu %llu\n", count, (unsigned long long)totalBytes, (unsigned long long)totalCipher);
    return 0;
}
