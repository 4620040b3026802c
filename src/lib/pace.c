/*
 * Pacing to an endpoint's inference units. A real-time endpoint of N
 * inference units reads N * 100 characters and N * 2 documents a second
 * (docs/comprehend-behaviour); a sender that goes faster is throttled.
 *
 * The pace is a generic cell rate algorithm (GCRA) per resource: each
 * request reserves its document and its characters at once and is told how
 * long to wait; the reservations of all threads form one schedule, so the
 * long-run rate is exact whatever the number of senders. A little burst
 * (PACE_TOLERANCE seconds of rate) is allowed. Characters the client cannot
 * count before sending (a document sent as Bytes) are charged when the
 * answer says how many there were (ExtractedCharacters): a debt the next
 * reservations pay.
 *
 * Adaptive, in the spirit of the SDKs' adaptive retry mode: a throttled
 * request cuts the share of the provisioned rate used (at most once a
 * second), each success probes it back up, never past the provisioned one.
 *
 * The schedule (dc_pace__*) is pure: the caller gives the time. The pacer
 * (dc_pacer_*) adds the clock, a lock and the waiting.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "send_int.h"

#define PACE_TOLERANCE 0.5  /* seconds of rate that may go at once */
#define PACE_CUT       0.7  /* share kept after a throttle */
#define PACE_PROBE     0.02 /* share regained per success */
#define PACE_MIN       0.1  /* the share never goes below */
#define PACE_CUT_GAP   1.0  /* seconds between two cuts */

void dc_pace__init(dc_pace_state *s, double units, double now)
{
    memset(s, 0, sizeof(*s));
    s->units = units;
    s->share = 1.0;
    s->tat_docs = s->tat_chars = now;
    s->start = now;
    s->last_cut = -1e9;
}

static double docs_rate(const dc_pace_state *s)
{
    return s->units * DC_IU_DOCS_PER_SECOND * s->share;
}

static double chars_rate(const dc_pace_state *s)
{
    return s->units * DC_IU_CHARS_PER_SECOND * s->share;
}

double dc_pace__reserve(dc_pace_state *s, double now, double chars)
{
    double at = now, d, c;

    if (chars < 0)
        chars = 0;
    d = s->tat_docs - PACE_TOLERANCE;
    c = s->tat_chars - PACE_TOLERANCE;
    if (d > at)
        at = d;
    if (c > at)
        at = c;
    s->tat_docs = (s->tat_docs > at ? s->tat_docs : at) + 1.0 / docs_rate(s);
    s->tat_chars = (s->tat_chars > at ? s->tat_chars : at) + chars / chars_rate(s);
    s->requests++;
    s->charged += chars;
    s->waited += at - now;
    return at - now;
}

void dc_pace__settle(dc_pace_state *s, double charged, double actual, int ok)
{
    if (actual > charged)
        s->tat_chars += (actual - charged) / chars_rate(s);
    if (ok) {
        s->sent++;
        s->characters += actual;
        s->share = s->share + PACE_PROBE > 1.0 ? 1.0 : s->share + PACE_PROBE;
    }
}

void dc_pace__throttled(dc_pace_state *s, double now)
{
    s->throttles++;
    if (now - s->last_cut < PACE_CUT_GAP)
        return;
    s->last_cut = now;
    s->share = s->share * PACE_CUT < PACE_MIN ? PACE_MIN : s->share * PACE_CUT;
    /* the schedule already handed out stays; the next ones are slower */
}

/* ---------------------------------------------------------------- pacer */

struct dc_pacer {
    pthread_mutex_t mu;
    dc_pace_state s;
    double last_done;
};

static double mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int dc_pacer_new(dc_pacer **out, double inference_units)
{
    dc_pacer *p;

    *out = NULL;
    if (!(inference_units >= 1 && inference_units <= 1000))
        return dc_error_set(DC_EINVAL, "inference units must be from 1 to 1000, not %g",
                            inference_units);
    p = calloc(1, sizeof(*p));
    if (!p)
        return dc_error_oom();
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return dc_error_set(DC_ERROR, "cannot create a mutex");
    }
    dc_pace__init(&p->s, inference_units, mono_now());
    *out = p;
    return DC_OK;
}

void dc_pacer_free(dc_pacer *p)
{
    if (!p)
        return;
    pthread_mutex_destroy(&p->mu);
    free(p);
}

void dc_pacer__wait(dc_pacer *p, double chars)
{
    double wait;
    struct timespec ts;

    pthread_mutex_lock(&p->mu);
    wait = dc_pace__reserve(&p->s, mono_now(), chars);
    pthread_mutex_unlock(&p->mu);
    if (wait <= 0)
        return;
    ts.tv_sec = (time_t)wait;
    ts.tv_nsec = (long)((wait - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0)
        ;
}

void dc_pacer__done(dc_pacer *p, double charged, double actual, int ok, int throttled)
{
    pthread_mutex_lock(&p->mu);
    if (throttled)
        dc_pace__throttled(&p->s, mono_now());
    else
        dc_pace__settle(&p->s, charged, actual, ok);
    p->last_done = mono_now();
    pthread_mutex_unlock(&p->mu);
}

int dc_pacer_get_stats(const dc_pacer *p, dc_pacer_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!p)
        return dc_error_set(DC_EINVAL, "no pacer");
    pthread_mutex_lock((pthread_mutex_t *)&p->mu);
    out->inference_units = p->s.units;
    out->requests = p->s.requests;
    out->sent = p->s.sent;
    out->throttles = p->s.throttles;
    out->characters = (long long)llround(p->s.characters);
    out->seconds = (p->last_done > p->s.start ? p->last_done : mono_now()) - p->s.start;
    out->waited = p->s.waited;
    out->share = p->s.share;
    pthread_mutex_unlock((pthread_mutex_t *)&p->mu);
    return DC_OK;
}
