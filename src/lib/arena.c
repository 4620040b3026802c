/*
 * Region allocator (arena.h).
 *
 * Blocks are taken from the system as the arena fills, each at least twice
 * the last. A block under 2 MB comes from malloc. A block of 2 MB or more
 * is mapped on a 2 MB boundary, a whole number of 2 MB long, and offered
 * to the kernel's transparent huge pages (madvise MADV_HUGEPAGE, where the
 * system has it): the word records of a long document are then faulted in
 * a few 2 MB pieces instead of one fault every 4 KB. On the 2-core VMs
 * this was measured on, a 4 KB fault cost about 12 us, and the 4 MB of
 * word records of a 100-page text-dense PDF cost 12 ms in faults, more
 * than a tenth of pdftotext's whole pass. Where huge pages are off or not
 * available, the mapping behaves as any other: nothing depends on them.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "internal.h"

#define HUGE_SIZE ((size_t)2 << 20)
#define MIN_BLOCK ((size_t)64 << 10)
#define MAX_FIRST ((size_t)64 << 20) /* first block, whatever the hint */
#if SIZE_MAX > 0xFFFFFFFFu
#define MAX_TOTAL ((size_t)8 << 30) /* all blocks of one arena */
#else
#define MAX_TOTAL ((size_t)1 << 30)
#endif
#define ALIGN ((size_t)16)

typedef struct block {
    struct block *next;
    size_t size; /* bytes of the block, this header included */
    size_t used; /* bytes handed out or taken by the header */
    int mapped;  /* 1: mmap'd (munmap), 0: malloc'd (free) */
} block;

struct dc_arena {
    pthread_mutex_t lock;
    block *head; /* the block being filled; older ones follow */
    size_t next; /* size of the next block */
    size_t held; /* bytes of all blocks */
    size_t used; /* bytes handed out */
};

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* A block of size bytes (header included), or NULL. */
static block *block_new(size_t size)
{
    block *b = NULL;
    int mapped = 0;

    if (size >= HUGE_SIZE) {
        /* map one huge page more than asked and unmap the ends, so the
         * block starts on a 2 MB boundary */
        size_t span = size + HUGE_SIZE;
        char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        char *at;
        if (raw == MAP_FAILED)
            return NULL;
        at = (char *)round_up((size_t)(uintptr_t)raw, HUGE_SIZE);
        if (at > raw)
            (void)munmap(raw, (size_t)(at - raw));
        if (raw + span > at + size)
            (void)munmap(at + size, (size_t)(raw + span - (at + size)));
#ifdef MADV_HUGEPAGE
        (void)madvise(at, size, MADV_HUGEPAGE); /* a hint: refused is fine */
#endif
        b = (block *)(void *)at;
        mapped = 1;
    } else {
        b = malloc(size);
        if (!b)
            return NULL;
    }
    b->next = NULL;
    b->size = size;
    b->used = round_up(sizeof(block), ALIGN);
    b->mapped = mapped;
    return b;
}

static void block_free(block *b)
{
    if (b->mapped)
        (void)munmap(b, b->size);
    else
        free(b);
}

/* The size of a block for the next need bytes: at least twice the last
 * one; from 2 MB up, a whole number of huge pages. */
static size_t block_size(const dc_arena *a, size_t need)
{
    size_t size = a->next > need ? a->next : need;

    if (size >= HUGE_SIZE / 2)
        size = round_up(size, HUGE_SIZE);
    return size;
}

dc_arena *dc_arena_new(size_t hint)
{
    dc_arena *a = calloc(1, sizeof(*a));

    if (!a || pthread_mutex_init(&a->lock, NULL) != 0) {
        free(a);
        dc_error_oom();
        return NULL;
    }
    a->next = hint < MIN_BLOCK ? MIN_BLOCK : hint > MAX_FIRST ? MAX_FIRST : hint;
    return a;
}

/* NULL, with the error of a request over the arena's cap. */
static void *over_cap(void)
{
    dc_error_set(DC_ELIMIT, "over the %zu-byte cap of one arena's memory", MAX_TOTAL);
    return NULL;
}

void *dc_arena_alloc(dc_arena *a, size_t n)
{
    void *p = NULL;
    block *b;
    size_t header = round_up(sizeof(block), ALIGN);

    if (n > MAX_TOTAL)
        return over_cap();
    n = round_up(n ? n : 1, ALIGN);
    pthread_mutex_lock(&a->lock);
    b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = block_size(a, header + n);
        if (size > MAX_TOTAL - a->held) {
            pthread_mutex_unlock(&a->lock);
            return over_cap();
        }
        b = block_new(size);
        if (!b) {
            pthread_mutex_unlock(&a->lock);
            dc_error_oom();
            return NULL;
        }
        b->next = a->head;
        a->head = b;
        a->held += size;
        a->next = size <= SIZE_MAX / 2 ? size * 2 : size;
    }
    p = (char *)b + b->used;
    b->used += n;
    a->used += n;
    pthread_mutex_unlock(&a->lock);
    return p;
}

void dc_arena_usage(dc_arena *a, size_t *used, size_t *held)
{
    pthread_mutex_lock(&a->lock);
    *used = a->used;
    *held = a->held;
    pthread_mutex_unlock(&a->lock);
}

void dc_arena_free(dc_arena *a)
{
    block *b, *next;

    if (!a)
        return;
    for (b = a->head; b; b = next) {
        next = b->next;
        block_free(b);
    }
    pthread_mutex_destroy(&a->lock);
    free(a);
}
