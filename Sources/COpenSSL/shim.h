// The only C the project sees. OPENSSL_NO_DEPRECATED hides every deprecated
// declaration (AES_*, HMAC_*, ...), so calling one is a compile error.
#ifndef SECURED_COPENSSL_SHIM_H
#define SECURED_COPENSSL_SHIM_H

#define OPENSSL_NO_DEPRECATED 1
#define OPENSSL_API_COMPAT 30000

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <stddef.h>

/// EVP_MAC_init for HMAC with the named digest: OSSL_PARAM arrays are built
/// with macros (OSSL_PARAM_END) that Swift cannot import.
static inline int COpenSSL_EVP_MAC_init_HMAC(EVP_MAC_CTX *ctx, const unsigned char *key,
                                             size_t keylen, const char *digest) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_init(ctx, key, keylen, params);
}

/// OPENSSL_cleanse is a function, but keep every call site on one spelling.
static inline void COpenSSL_OPENSSL_cleanse(void *ptr, size_t len) {
    OPENSSL_cleanse(ptr, len);
}

#endif
