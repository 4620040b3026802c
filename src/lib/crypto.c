/*
 * Crypto: SHA-256, HMAC-SHA256, base64 and random bytes from OpenSSL's
 * libcrypto, the only file that includes it.
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

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static int crypto_failed;

static void init_crypto(void)
{
    /* digests, HMAC and random bytes need no system openssl.cnf */
    crypto_failed = !OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
}

int dc_crypto_init(void)
{
    (void)pthread_once(&crypto_once, init_crypto);
    if (crypto_failed)
        return dc_error_set(DC_ERROR, "libcrypto could not be initialised");
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
    int err = dc_crypto_init();

    out[0] = '\0';
    if (err < 0)
        return err;
    if (!SHA256(data ? data : (const void *)"", len, md))
        return dc_error_set(DC_ERROR, "SHA-256 failed");
    to_hex(out, md, sizeof(md));
    return DC_OK;
}

int dc_sha1_hex(char out[41], const void *data, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    int err = dc_crypto_init();

    out[0] = '\0';
    if (err < 0)
        return err;
    if (!EVP_Digest(data ? data : (const void *)"", len, md, &n, EVP_sha1(), NULL) || n != 20)
        return dc_error_set(DC_ERROR, "SHA-1 failed");
    to_hex(out, md, n);
    return DC_OK;
}

int dc_hmac_sha256(
    unsigned char out[32], const void *key, size_t keylen, const void *msg, size_t msglen)
{
    unsigned int n = 0;
    int err = dc_crypto_init();

    if (err < 0)
        return err;
    if (keylen > 0x7fffffff || !HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &n) ||
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
    int err = dc_crypto_init();

    if (err < 0)
        return err;
    if (out->max - out->len < 4 * ((len + 2) / 3))
        return dc_error_set(DC_ELIMIT, "base64 of %zu bytes is over the request cap", len);
    tmp = malloc(4 * (chunk / 3) + 1);
    if (!tmp)
        return dc_error_oom();
    while (err >= 0 && done < len) {
        size_t n = len - done < chunk ? len - done : chunk;
        int w = EVP_EncodeBlock(tmp, (const unsigned char *)data + done, (int)n);
        err = dc_buf_put(out, tmp, (size_t)w);
        done += n;
    }
    free(tmp);
    return err;
}

int dc_random_bytes(void *buf, size_t n)
{
    int err = dc_crypto_init();

    if (err < 0)
        return err;
    if (n > 0x7fffffff || RAND_bytes(buf, (int)n) != 1)
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
