/*
 * A region allocator: many allocations of one lifetime, freed together.
 * The document keeps its first pass's words in one (pdf.c), so that tens
 * of thousands of word records neither scatter through the heap between
 * Poppler's per-page allocations nor cost a page fault every 4 KB
 * (docs/architecture.md, "Memory of the first pass"). Internal; never
 * installed.
 */
#ifndef DC_ARENA_H
#define DC_ARENA_H

#include <stddef.h>

typedef struct dc_arena dc_arena;

/* An empty arena; hint: the bytes it is likely to hand out (its first
 * block is sized for them). NULL when out of memory (error set). */
dc_arena *dc_arena_new(size_t hint);

/* n bytes aligned for any type, valid until dc_arena_free; safe to call
 * from several threads. NULL when out of memory or over the arena's cap
 * (error set). */
void *dc_arena_alloc(dc_arena *a, size_t n);

/* Bytes handed out and bytes of blocks held. */
void dc_arena_usage(dc_arena *a, size_t *used, size_t *held);

void dc_arena_free(dc_arena *a);

#endif
