/*
 * Crypto: SHA-256, HMAC-SHA256, base64 and random bytes from OpenSSL's
 * libcrypto, the only file that includes it. libcrypto is loaded on first
 * use (dlopen), not linked: it is the largest library a docclass process
 * would otherwise map at every start (about 3.5 ms of start-up on the
 * reference machine), and a text extraction that prints no hash never needs
 * it. The soname is Debian 12's (OpenSSL 3).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "internal.h"

#define DC_CRYPTO_SONAME "libcrypto.so.3"
#define DC_CRYPTO_FUNCS(X) \
    X(EVP_EncodeBlock)     \
    X(EVP_sha256)          \
    X(HMAC)                \
    X(OPENSSL_init_crypto) \
    X(RAND_bytes)          \
    X(SHA256)

#define DC_CRYPTO_PTR(f) static __typeof__(f) *dl_##f;
DC_CRYPTO_FUNCS(DC_CRYPTO_PTR)
#undef DC_CRYPTO_PTR

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static char crypto_error[256];

static void load_crypto(void)
{
    static const dc_dl_sym syms[] = {DC_CRYPTO_FUNCS(DC_DL_SYM)};

    if (!dc_dl_open(DC_CRYPTO_SONAME, syms, sizeof(syms) / sizeof(syms[0]), crypto_error,
                    sizeof(crypto_error)))
        return;
    /* digests, HMAC and random bytes need no system openssl.cnf */
    if (!dl_OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL))
        (void)snprintf(crypto_error, sizeof(crypto_error), "libcrypto could not be initialised");
}

int dc_crypto_load(void)
{
    (void)pthread_once(&crypto_once, load_crypto);
    if (crypto_error[0])
        return dc_error_set(DC_ERROR, "%s", crypto_error);
    return DC_OK;
}

static void to_hex(char *out, const unsigned char *md, size_t n)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

int dc_sha256_hex(char out[65], const void *data, size_t len)
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    int err = dc_crypto_load();

    out[0] = '\0';
    if (err < 0)
        return err;
    if (!dl_SHA256(data ? data : (const void *)"", len, md))
        return dc_error_set(DC_ERROR, "SHA-256 failed");
    to_hex(out, md, sizeof(md));
    return DC_OK;
}

int dc_hmac_sha256(
    unsigned char out[32], const void *key, size_t keylen, const void *msg, size_t msglen)
{
    unsigned int n = 0;
    int err = dc_crypto_load();

    if (err < 0)
        return err;
    if (keylen > 0x7fffffff || !dl_HMAC(dl_EVP_sha256(), key, (int)keylen, msg, msglen, out, &n) ||
        n != 32)
        return dc_error_set(DC_ERROR, "HMAC-SHA256 failed");
    return DC_OK;
}

int dc_base64(dc_buf *out, const void *data, size_t len)
{
    /* EVP_EncodeBlock takes an int length: encode in chunks of 3 MiB */
    const size_t chunk = (size_t)3 << 20;
    unsigned char *tmp = NULL;
    size_t done = 0;
    int err = dc_crypto_load();

    if (err < 0)
        return err;
    if (out->max - out->len < 4 * ((len + 2) / 3))
        return dc_error_set(DC_ELIMIT, "base64 of %zu bytes is over the request cap", len);
    tmp = malloc(4 * (chunk / 3) + 1);
    if (!tmp)
        return dc_error_oom();
    while (err >= 0 && done < len) {
        size_t n = len - done < chunk ? len - done : chunk;
        int w = dl_EVP_EncodeBlock(tmp, (const unsigned char *)data + done, (int)n);
        err = dc_buf_put(out, tmp, (size_t)w);
        done += n;
    }
    free(tmp);
    return err;
}

int dc_random_bytes(void *buf, size_t n)
{
    int err = dc_crypto_load();

    if (err < 0)
        return err;
    if (n > 0x7fffffff || dl_RAND_bytes(buf, (int)n) != 1)
        return dc_error_set(DC_ERROR, "no random bytes");
    return DC_OK;
}

/* Zero memory that held a secret so that the compiler cannot drop the
 * store (the volatile function pointer OPENSSL_cleanse uses too). */
static void *(*const volatile wipe)(void *, int, size_t) = memset;

void dc_cleanse(void *p, size_t n)
{
    if (p && n)
        (void)wipe(p, 0, n);
}
