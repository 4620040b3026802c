/*
 * The local classifier (docs/train.md): hashed word 1-2-grams and
 * character 3-5-grams of a text, a linear model over them.
 *
 * - Features: tokens are runs of ASCII letters and digits (lowercased,
 *   every digit read as 0: amounts and dates vary, their shape does not)
 *   and of non-ASCII bytes; each word, each pair of neighbouring words and
 *   each 3, 4 and 5 characters of "<word>" is hashed (FNV-1a, then mixed)
 *   into 2^dims buckets. Logistic regression reads 1 + log(tf), L2
 *   normalised; naive Bayes reads 1 + log(tf) as counts.
 * - Logistic regression: SGD over a seeded shuffle, softmax (multi-class)
 *   or one sigmoid a label (multi-label), L2 by weight scaling.
 * - Naive Bayes: log class priors and Laplace-smoothed log likelihoods,
 *   stored as the same linear weights.
 * - Calibration: the held-out scores of the cross-validation fit one
 *   temperature (minimum log loss); the final model divides its scores
 *   by it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "docclass/model.h"
#include "internal.h"
#include "json_out.h"

#define MODEL_MAGIC       "docclass-model 1\n"
#define MODEL_VERSION     1
#define TEXT_MAX          ((size_t)1 << 20) /* bytes of a text read */
#define TOKEN_MAX         64                /* bytes of a token read */
#define CLASSES_MAX       1000u
#define LABEL_MAX         5000u             /* bytes of a class name (the API's limit) */
#define WEIGHTS_MAX       ((size_t)1 << 26) /* floats: 256 MB */
#define HEADER_MAX        ((size_t)1 << 20)
#define DEFAULT_DIMS_LOG2 18u
#define DEFAULT_EPOCHS    20
#define DEFAULT_L2        1e-6
#define DEFAULT_FOLDS     5
#define BAYES_ALPHA       0.01
#define ETA0              0.5

/* ---------------------------------------------------------------- types */

typedef struct {
    char *text;
    size_t len;
    size_t *labels; /* class indexes, filled when training starts */
    char **names;   /* label names as given */
    size_t nlabels;
} ts_item;

struct dc_trainset {
    ts_item *items;
    size_t n, cap;
};

struct dc_model {
    dc_model_mode mode;
    dc_model_algorithm algorithm;
    unsigned dims_log2;
    size_t dims;
    size_t k;
    char **classes;
    float *w; /* k x dims */
    float *b; /* k */
    double temperature;
    char *metadata;
};

typedef struct {
    uint32_t *idx;
    float *val;
    size_t n;
} sparse;

/* An allocation count never 0 (k classes is at least 2 once trained). */
static size_t nz(size_t n)
{
    return n ? n : 1;
}

/* ---------------------------------------------------------------- options */

int dc_train_options_init(dc_train_options *opts, int version)
{
    if (!opts || version < 1 || version > DC_TRAIN_OPTIONS_VERSION)
        return dc_error_set(DC_EINVAL, "dc_train_options version %d is not 1 to %d", version,
                            DC_TRAIN_OPTIONS_VERSION);
    memset(opts, 0, sizeof(*opts));
    opts->version = version;
    return DC_OK;
}

static int resolve(dc_train_options *o, const dc_train_options *in)
{
    dc_train_options_init(o, DC_TRAIN_OPTIONS_VERSION);
    if (in) {
        if (in->version < 1 || in->version > DC_TRAIN_OPTIONS_VERSION)
            return dc_error_set(DC_EINVAL, "dc_train_options version %d is not 1 to %d",
                                in->version, DC_TRAIN_OPTIONS_VERSION);
        *o = *in;
    }
    if (o->dims_log2 == 0)
        o->dims_log2 = DEFAULT_DIMS_LOG2;
    if (o->epochs == 0)
        o->epochs = DEFAULT_EPOCHS;
    if (o->l2 == 0)
        o->l2 = DEFAULT_L2;
    if (o->seed == 0)
        o->seed = 1;
    if (o->folds == 0)
        o->folds = DEFAULT_FOLDS;
    if (o->dims_log2 < 10 || o->dims_log2 > 22)
        return dc_error_set(DC_EINVAL, "feature space 2^%u is not 2^10 to 2^22", o->dims_log2);
    if (o->epochs < 1 || o->epochs > 1000)
        return dc_error_set(DC_EINVAL, "epochs %d is not 1 to 1000", o->epochs);
    if (!(o->l2 > 0 && o->l2 < 1))
        return dc_error_set(DC_EINVAL, "L2 penalty %g is not in (0, 1)", o->l2);
    if (o->folds != -1 && (o->folds < 2 || o->folds > 20))
        return dc_error_set(DC_EINVAL, "folds %d is not 2 to 20 (or -1: none)", o->folds);
    if ((unsigned)o->mode > DC_MODEL_MULTI_LABEL || (unsigned)o->algorithm > DC_MODEL_BAYES)
        return dc_error_set(DC_EINVAL, "unknown model mode or algorithm");
    if (o->algorithm == DC_MODEL_BAYES && o->mode == DC_MODEL_MULTI_LABEL)
        return dc_error_set(DC_EINVAL, "naive Bayes is multi-class only: use logistic regression "
                                       "for a multi-label model");
    return DC_OK;
}

/* ---------------------------------------------------------------- trainset */

int dc_trainset_new(dc_trainset **out)
{
    *out = calloc(1, sizeof(**out));
    return *out ? DC_OK : dc_error_oom();
}

int dc_trainset_add(
    dc_trainset *ts, const char *text, size_t len, const char *const *labels, size_t nlabels)
{
    ts_item it;
    size_t i;

    if (!ts || (!text && len) || !labels || nlabels == 0)
        return dc_error_set(DC_EINVAL, "a training text needs at least one label");
    for (i = 0; i < nlabels; i++) {
        if (!labels[i] || !*labels[i])
            return dc_error_set(DC_EINVAL, "empty label");
        if (strlen(labels[i]) > LABEL_MAX)
            return dc_error_set(DC_EINVAL, "label of %zu bytes (at most %u)", strlen(labels[i]),
                                LABEL_MAX);
    }
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;
        ts_item *p = realloc(ts->items, cap * sizeof(*p));
        if (!p)
            return dc_error_oom();
        ts->items = p;
        ts->cap = cap;
    }
    memset(&it, 0, sizeof(it));
    if (len > TEXT_MAX)
        len = TEXT_MAX;
    it.text = malloc(len + 1);
    it.names = calloc(nlabels, sizeof(char *));
    if (!it.text || !it.names)
        goto oom;
    if (len)
        memcpy(it.text, text, len);
    it.text[len] = '\0';
    it.len = len;
    for (i = 0; i < nlabels; i++) {
        it.names[i] = dc_strdup(labels[i]);
        if (!it.names[i])
            goto oom;
        it.nlabels++;
    }
    ts->items[ts->n++] = it;
    return DC_OK;
oom:
    for (i = 0; i < it.nlabels; i++)
        free(it.names[i]);
    free(it.names);
    free(it.text);
    return dc_error_oom();
}

size_t dc_trainset_count(const dc_trainset *ts)
{
    return ts ? ts->n : 0;
}

void dc_trainset_free(dc_trainset *ts)
{
    size_t i, j;

    if (!ts)
        return;
    for (i = 0; i < ts->n; i++) {
        for (j = 0; j < ts->items[i].nlabels; j++)
            free(ts->items[i].names[j]);
        free(ts->items[i].names);
        free(ts->items[i].labels);
        free(ts->items[i].text);
    }
    free(ts->items);
    free(ts);
}

/* ---------------------------------------------------------------- features */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static uint32_t bucket(uint64_t h, size_t mask)
{
    h ^= h >> 33; /* murmur3's finaliser: FNV's low bits are weak */
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (uint32_t)(h & mask);
}

typedef struct {
    uint32_t *v;
    size_t n, cap;
} u32vec;

static int push(u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        uint32_t *p = realloc(a->v, cap * sizeof(*p));
        if (!p)
            return dc_error_oom();
        a->v = p;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return DC_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The hashed features of one token (with the previous one for the pair). */
static int
token_features(u32vec *a, const char *tok, size_t n, const char *prev, size_t pn, size_t mask)
{
    char w[TOKEN_MAX + 2];
    size_t i, g;
    int err;

    err = push(a, bucket(fnv(14695981039346656037ull ^ 'w', tok, n), mask));
    if (err >= 0 && pn) {
        uint64_t h = fnv(14695981039346656037ull ^ 'b', prev, pn);
        h = fnv(h, " ", 1);
        err = push(a, bucket(fnv(h, tok, n), mask));
    }
    w[0] = '<';
    memcpy(w + 1, tok, n);
    w[n + 1] = '>';
    for (g = 3; err >= 0 && g <= 5; g++) {
        for (i = 0; err >= 0 && i + g <= n + 2; i++)
            err = push(a, bucket(fnv(14695981039346656037ull ^ ('0' + g), w + i, g), mask));
    }
    return err;
}

static int featurize(sparse *out, const char *text, size_t len, size_t dims, int normalise)
{
    u32vec a = {NULL, 0, 0};
    char tok[TOKEN_MAX], prev[TOKEN_MAX];
    size_t i, n = 0, pn = 0, k;
    double norm = 0;
    int err = DC_OK;

    memset(out, 0, sizeof(*out));
    if (len > TEXT_MAX)
        len = TEXT_MAX;
    for (i = 0; i <= len && err >= 0; i++) {
        unsigned char c = i < len ? (unsigned char)text[i] : ' ';
        int in =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (in) {
            if (n < TOKEN_MAX)
                tok[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : (c >= '0' && c <= '9') ? '0' : c);
            continue;
        }
        if (n) {
            err = token_features(&a, tok, n, prev, pn, dims - 1);
            memcpy(prev, tok, n);
            pn = n;
            n = 0;
        }
    }
    if (err < 0 || a.n == 0) {
        free(a.v);
        return err;
    }
    qsort(a.v, a.n, sizeof(uint32_t), cmp_u32);
    out->idx = malloc(a.n * sizeof(uint32_t));
    out->val = malloc(a.n * sizeof(float));
    if (!out->idx || !out->val) {
        free(a.v);
        free(out->idx);
        free(out->val);
        memset(out, 0, sizeof(*out));
        return dc_error_oom();
    }
    for (i = 0; i < a.n; i = k) {
        for (k = i; k < a.n && a.v[k] == a.v[i]; k++)
            ;
        out->idx[out->n] = a.v[i];
        out->val[out->n] = (float)(1.0 + log((double)(k - i)));
        norm += (double)out->val[out->n] * out->val[out->n];
        out->n++;
    }
    if (normalise && norm > 0) {
        norm = 1.0 / sqrt(norm);
        for (i = 0; i < out->n; i++)
            out->val[i] = (float)(out->val[i] * norm);
    }
    free(a.v);
    return DC_OK;
}

static void sparse_dispose(sparse *s)
{
    free(s->idx);
    free(s->val);
    memset(s, 0, sizeof(*s));
}

/* ---------------------------------------------------------------- scoring */

static double dot(const float *w, const sparse *x)
{
    double s = 0;
    size_t i;

    for (i = 0; i < x->n; i++)
        s += (double)w[x->idx[i]] * x->val[i];
    return s;
}

/* Raw scores (logits) of every class. */
static void logits(const dc_model *m, const sparse *x, double scale, double *z)
{
    size_t c;

    for (c = 0; c < m->k; c++)
        z[c] = scale * dot(m->w + c * m->dims, x) + m->b[c];
}

static void probabilities(dc_model_mode mode, const double *z, size_t k, double t, double *p)
{
    size_t c;

    if (mode == DC_MODEL_MULTI_LABEL) {
        for (c = 0; c < k; c++)
            p[c] = 1.0 / (1.0 + exp(-z[c] / t));
        return;
    }
    {
        double mx = z[0], sum = 0;
        for (c = 1; c < k; c++)
            mx = z[c] > mx ? z[c] : mx;
        for (c = 0; c < k; c++)
            sum += p[c] = exp((z[c] - mx) / t);
        for (c = 0; c < k; c++)
            p[c] /= sum;
    }
}

/* ---------------------------------------------------------------- training */

typedef struct {
    const dc_train_options *o;
    size_t k, dims;
    sparse *x;      /* one a text */
    ts_item *items; /* labels */
} corpus;

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64: deterministic, no libc state */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void shuffle(size_t *a, size_t n, uint64_t *s)
{
    size_t i;

    for (i = n; i > 1; i--) {
        size_t j = (size_t)(rng_next(s) % i), t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

static int has_label(const ts_item *it, size_t c)
{
    size_t i;

    for (i = 0; i < it->nlabels; i++) {
        if (it->labels[i] == c)
            return 1;
    }
    return 0;
}

static int new_model(dc_model **out, const dc_train_options *o, size_t k, char **classes)
{
    dc_model *m = calloc(1, sizeof(*m));
    size_t i;

    *out = NULL;
    if (!m)
        return dc_error_oom();
    m->mode = o->mode;
    m->algorithm = o->algorithm;
    m->dims_log2 = o->dims_log2;
    m->dims = (size_t)1 << o->dims_log2;
    m->k = k;
    m->temperature = 1.0;
    m->classes = calloc(k ? k : 1, sizeof(char *));
    m->w = calloc((k ? k : 1) * m->dims, sizeof(float));
    m->b = calloc(k ? k : 1, sizeof(float));
    if (!m->classes || !m->w || !m->b) {
        dc_model_free(m);
        return dc_error_oom();
    }
    for (i = 0; i < k; i++) {
        m->classes[i] = dc_strdup(classes[i]);
        if (!m->classes[i]) {
            dc_model_free(m);
            return dc_error_oom();
        }
    }
    *out = m;
    return DC_OK;
}

static void train_bayes(dc_model *m, const corpus *cp, const size_t *rows, size_t n)
{
    double *total = calloc(nz(m->k), sizeof(double)), *docs = calloc(nz(m->k), sizeof(double));
    size_t r, i, c;

    if (!total || !docs) {
        free(total);
        free(docs);
        return;
    }
    for (r = 0; r < n; r++) {
        const sparse *x = &cp->x[rows[r]];
        c = cp->items[rows[r]].labels[0];
        docs[c] += 1;
        for (i = 0; i < x->n; i++) {
            m->w[c * m->dims + x->idx[i]] += x->val[i];
            total[c] += x->val[i];
        }
    }
    for (c = 0; c < m->k; c++) {
        float *w = m->w + c * m->dims;
        double denom = log(total[c] + BAYES_ALPHA * (double)m->dims);
        for (i = 0; i < m->dims; i++)
            w[i] = (float)(log((double)w[i] + BAYES_ALPHA) - denom);
        m->b[c] = (float)log((docs[c] + 1.0) / ((double)n + (double)m->k));
    }
    free(total);
    free(docs);
}

static int train_logistic(dc_model *m, const corpus *cp, const size_t *rows, size_t n)
{
    size_t *order = malloc((n ? n : 1) * sizeof(size_t));
    double *z = malloc(nz(m->k) * sizeof(double)), *p = malloc(nz(m->k) * sizeof(double));
    double scale = 1.0, l2 = cp->o->l2;
    uint64_t rng = cp->o->seed;
    long long t = 0;
    int e;
    size_t r, c, i;

    if (!order || !z || !p) {
        free(order);
        free(z);
        free(p);
        return dc_error_oom();
    }
    memcpy(order, rows, n * sizeof(size_t));
    for (e = 0; e < cp->o->epochs; e++) {
        shuffle(order, n, &rng);
        for (r = 0; r < n; r++, t++) {
            const sparse *x = &cp->x[order[r]];
            const ts_item *it = &cp->items[order[r]];
            double eta = ETA0 / sqrt(1.0 + (double)t / (double)(n ? n : 1));

            logits(m, x, scale, z);
            probabilities(m->mode, z, m->k, 1.0, p);
            scale *= 1.0 - eta * l2;
            for (c = 0; c < m->k; c++) {
                double y = m->mode == DC_MODEL_MULTI_LABEL ? has_label(it, c)
                                                           : (it->labels[0] == c ? 1.0 : 0.0);
                double g = p[c] - y, step = eta * g / scale;
                float *w = m->w + c * m->dims;
                if (g == 0)
                    continue;
                for (i = 0; i < x->n; i++)
                    w[x->idx[i]] -= (float)(step * x->val[i]);
                m->b[c] -= (float)(eta * g);
            }
            if (scale < 1e-6) {
                for (i = 0; i < m->k * m->dims; i++)
                    m->w[i] = (float)(m->w[i] * scale);
                scale = 1.0;
            }
        }
    }
    for (i = 0; i < m->k * m->dims; i++)
        m->w[i] = (float)(m->w[i] * scale);
    free(order);
    free(z);
    free(p);
    return DC_OK;
}

static int fit(dc_model **out, const corpus *cp, char **classes, const size_t *rows, size_t n)
{
    dc_model *m;
    int err = new_model(&m, cp->o, cp->k, classes);

    if (err < 0)
        return err;
    if (cp->o->algorithm == DC_MODEL_BAYES)
        train_bayes(m, cp, rows, n);
    else
        err = train_logistic(m, cp, rows, n);
    if (err < 0) {
        dc_model_free(m);
        return err;
    }
    *out = m;
    return DC_OK;
}

/* ---------------------------------------------------------------- metrics */

/* Held-out logits of every text against the true labels: accuracy,
 * per-class precision/recall/F1, macro-F1, log loss and calibration. */
typedef struct {
    size_t n, k;
    double *z; /* n x k logits */
    ts_item *items;
    dc_model_mode mode;
    char **classes;
} scored;

static double log_loss(const scored *s, double t, double *ece)
{
    double *p = malloc(nz(s->k) * sizeof(double)), loss = 0;
    double conf[10] = {0}, hit[10] = {0}, cnt[10] = {0};
    size_t r, c;

    if (!p)
        return HUGE_VAL;
    for (r = 0; r < s->n; r++) {
        const ts_item *it = &s->items[r];
        size_t best = 0, bin;
        probabilities(s->mode, s->z + r * s->k, s->k, t, p);
        if (s->mode == DC_MODEL_MULTI_LABEL) {
            for (c = 0; c < s->k; c++) {
                double q = has_label(it, c) ? p[c] : 1 - p[c];
                loss -= log(q > 1e-12 ? q : 1e-12) / (double)s->k;
            }
        } else {
            double q = it->labels[0] < s->k ? p[it->labels[0]] : 0;
            loss -= log(q > 1e-12 ? q : 1e-12);
        }
        for (c = 1; c < s->k; c++)
            best = p[c] > p[best] ? c : best;
        bin = (size_t)(p[best] * 10);
        bin = bin > 9 ? 9 : bin;
        conf[bin] += p[best];
        hit[bin] += has_label(it, best);
        cnt[bin] += 1;
    }
    if (ece) {
        *ece = 0;
        for (r = 0; r < 10; r++)
            *ece += cnt[r] ? fabs(conf[r] - hit[r]) / (double)s->n : 0;
    }
    free(p);
    return s->n ? loss / (double)s->n : 0;
}

/* The temperature of least log loss (golden section over log t). */
static double fit_temperature(const scored *s)
{
    const double g = 0.6180339887498949;
    double a = log(0.25), b = log(100.0), c1, c2, f1, f2; /* beyond: fitting noise */
    int i;

    c1 = b - g * (b - a);
    c2 = a + g * (b - a);
    f1 = log_loss(s, exp(c1), NULL);
    f2 = log_loss(s, exp(c2), NULL);
    for (i = 0; i < 60; i++) {
        if (f1 < f2) {
            b = c2;
            c2 = c1;
            f2 = f1;
            c1 = b - g * (b - a);
            f1 = log_loss(s, exp(c1), NULL);
        } else {
            a = c1;
            c1 = c2;
            f1 = f2;
            c2 = a + g * (b - a);
            f2 = log_loss(s, exp(c2), NULL);
        }
    }
    return exp((a + b) / 2);
}

static json_t *metrics(const scored *s, double t)
{
    size_t kk = s->k ? s->k : 1;
    double *tp = calloc(kk, sizeof(double)), *fp = calloc(kk, sizeof(double));
    double *fn = calloc(kk, sizeof(double)), *p = malloc(kk * sizeof(double));
    double correct = 0, macro = 0, ece = 0, loss;
    json_t *v = NULL, *per = NULL;
    size_t r, c;

    if (!tp || !fp || !fn || !p)
        goto done;
    for (r = 0; r < s->n; r++) {
        const ts_item *it = &s->items[r];
        int all = 1;
        probabilities(s->mode, s->z + r * s->k, s->k, t, p);
        if (s->mode == DC_MODEL_MULTI_LABEL) {
            for (c = 0; c < s->k; c++) {
                int pred = p[c] >= 0.5, truth = has_label(it, c);
                tp[c] += pred && truth;
                fp[c] += pred && !truth;
                fn[c] += !pred && truth;
                all &= pred == truth;
            }
            correct += all;
        } else {
            size_t best = 0;
            for (c = 1; c < s->k; c++)
                best = p[c] > p[best] ? c : best;
            if (has_label(it, best)) {
                correct += 1;
                tp[best] += 1;
            } else {
                fp[best] += 1;
                if (it->labels[0] < s->k)
                    fn[it->labels[0]] += 1;
            }
        }
    }
    loss = log_loss(s, t, &ece);
    per = json_object();
    for (c = 0; per && c < s->k; c++) {
        double pr = tp[c] + fp[c] > 0 ? tp[c] / (tp[c] + fp[c]) : 0;
        double rc = tp[c] + fn[c] > 0 ? tp[c] / (tp[c] + fn[c]) : 0;
        double f1 = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
        macro += f1;
        json_object_set_new(per, s->classes[c],
                            json_pack("{s:f,s:f,s:f,s:i}", "precision", pr, "recall", rc, "f1", f1,
                                      "support", (json_int_t)(tp[c] + fn[c])));
    }
    v = json_pack("{s:i,s:f,s:f,s:f,s:f,s:o}", "documents", (json_int_t)s->n, "accuracy",
                  s->n ? correct / (double)s->n : 0, "macro_f1", s->k ? macro / (double)s->k : 0,
                  "log_loss", loss, "expected_calibration_error", ece, "classes",
                  per ? per : json_object());
done:
    free(tp);
    free(fp);
    free(fn);
    free(p);
    return v;
}

/* ---------------------------------------------------------------- train */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted distinct label names; each item's labels as indexes. */
static int index_labels(dc_trainset *ts, dc_model_mode mode, char ***classes, size_t *k)
{
    char **all = NULL;
    size_t n = 0, i, j, u = 0;

    *classes = NULL;
    *k = 0;
    for (i = 0; i < ts->n; i++) {
        if (mode == DC_MODEL_MULTI_CLASS && ts->items[i].nlabels != 1)
            return dc_error_set(DC_EINVAL,
                                "text %zu has %zu labels: a multi-class model takes one each",
                                i + 1, ts->items[i].nlabels);
        n += ts->items[i].nlabels;
    }
    all = malloc((n ? n : 1) * sizeof(char *));
    if (!all)
        return dc_error_oom();
    for (i = 0, n = 0; i < ts->n; i++) {
        for (j = 0; j < ts->items[i].nlabels; j++)
            all[n++] = ts->items[i].names[j];
    }
    qsort(all, n, sizeof(char *), cmp_str);
    for (i = 0; i < n; i++) {
        if (u == 0 || strcmp(all[u - 1], all[i]) != 0)
            all[u++] = all[i];
    }
    for (i = 0; i < ts->n; i++) {
        ts_item *it = &ts->items[i];
        free(it->labels);
        it->labels = malloc((it->nlabels ? it->nlabels : 1) * sizeof(size_t));
        if (!it->labels) {
            free(all);
            return dc_error_oom();
        }
        for (j = 0; j < it->nlabels; j++) {
            char **hit = bsearch(&it->names[j], all, u, sizeof(char *), cmp_str);
            it->labels[j] = (size_t)(hit - all);
        }
    }
    *classes = all;
    *k = u;
    return DC_OK;
}

static int featurize_all(corpus *cp, const dc_trainset *ts, int normalise)
{
    size_t i;
    int err = DC_OK;

    cp->x = calloc(ts->n ? ts->n : 1, sizeof(sparse));
    if (!cp->x)
        return dc_error_oom();
    for (i = 0; i < ts->n && err >= 0; i++)
        err = featurize(&cp->x[i], ts->items[i].text, ts->items[i].len, cp->dims, normalise);
    return err;
}

static void corpus_dispose(corpus *cp, size_t n)
{
    size_t i;

    for (i = 0; cp->x && i < n; i++)
        sparse_dispose(&cp->x[i]);
    free(cp->x);
}

/* Fold of each text: stratified by first label, round robin after a
 * seeded shuffle within each class. */
static int assign_folds(size_t *fold, const corpus *cp, size_t n, int k)
{
    size_t *order = malloc((n ? n : 1) * sizeof(size_t)), i, c, pos = 0;
    uint64_t rng = cp->o->seed ^ 0x5eedull;

    if (!order)
        return dc_error_oom();
    for (i = 0; i < n; i++)
        order[i] = i; /* every text has a class below k: all are placed again below */
    for (c = 0; c < cp->k; c++) {
        size_t start = pos;
        for (i = 0; i < n; i++) {
            if (cp->items[i].labels[0] == c)
                order[pos++] = i;
        }
        shuffle(order + start, pos - start, &rng);
    }
    for (i = 0; i < n; i++)
        fold[order[i]] = i % (size_t)k;
    free(order);
    return DC_OK;
}

static int
cross_validate(json_t **out, double *temperature, const corpus *cp, char **classes, size_t n)
{
    int k = cp->o->folds, f, err = DC_OK;
    size_t *fold = calloc(n ? n : 1, sizeof(size_t));
    size_t *rows = malloc((n ? n : 1) * sizeof(size_t)), i, nr;
    scored s = {n, cp->k, NULL, cp->items, cp->o->mode, classes};
    json_t *raw = NULL, *cal = NULL;

    *out = NULL;
    s.z = calloc(n * cp->k + 1, sizeof(double));
    if (!fold || !rows || !s.z) {
        err = dc_error_oom();
        goto done;
    }
    if ((size_t)k > n)
        k = (int)n;
    err = assign_folds(fold, cp, n, k);
    for (f = 0; f < k && err >= 0; f++) {
        dc_model *m = NULL;
        for (i = 0, nr = 0; i < n; i++) {
            if (fold[i] != (size_t)f)
                rows[nr++] = i;
        }
        err = fit(&m, cp, classes, rows, nr);
        for (i = 0; err >= 0 && i < n; i++) {
            if (fold[i] == (size_t)f)
                logits(m, &cp->x[i], 1.0, s.z + i * cp->k);
        }
        dc_model_free(m);
    }
    if (err < 0)
        goto done;
    *temperature = fit_temperature(&s);
    raw = metrics(&s, 1.0);
    cal = metrics(&s, *temperature);
    if (!raw || !cal) {
        err = dc_error_oom();
        goto done;
    }
    *out = json_pack(
        "{s:i,s:O,s:O,s:O,s:{s:f,s:f,s:f,s:f,s:f}}", "folds", (json_int_t)k, "accuracy",
        json_object_get(cal, "accuracy"), "macro_f1", json_object_get(cal, "macro_f1"), "classes",
        json_object_get(cal, "classes"), "calibration", "temperature", *temperature,
        "log_loss_before", json_real_value(json_object_get(raw, "log_loss")), "log_loss_after",
        json_real_value(json_object_get(cal, "log_loss")), "ece_before",
        json_real_value(json_object_get(raw, "expected_calibration_error")), "ece_after",
        json_real_value(json_object_get(cal, "expected_calibration_error")));
    if (!*out)
        err = dc_error_oom();
done:
    json_decref(raw);
    json_decref(cal);
    free(fold);
    free(rows);
    free(s.z);
    return err;
}

int dc_model_train(dc_model **out,
                   char **report,
                   const dc_trainset *tsc,
                   const dc_train_options *opts)
{
    dc_trainset *ts = (dc_trainset *)tsc; /* label indexes are scratch */
    dc_train_options o;
    corpus cp;
    char **classes = NULL;
    size_t k = 0, *rows = NULL, i;
    double t = 1.0;
    json_t *rep = NULL, *cv = NULL;
    dc_model *m = NULL;
    int err;

    *out = NULL;
    if (report)
        *report = NULL;
    memset(&cp, 0, sizeof(cp));
    if (!ts)
        return dc_error_set(DC_EINVAL, "no training set");
    err = resolve(&o, opts);
    if (err >= 0)
        err = index_labels(ts, o.mode, &classes, &k);
    if (err >= 0 && k < 2)
        err = dc_error_set(DC_EINVAL, "%zu class%s: a classifier needs at least 2", k,
                           k == 1 ? "" : "es");
    if (err >= 0 && k > CLASSES_MAX)
        err = dc_error_set(DC_EINVAL, "%zu classes (at most %u)", k, CLASSES_MAX);
    if (err < 0)
        goto done;
    while (o.dims_log2 > 10 && ((size_t)1 << o.dims_log2) * k > WEIGHTS_MAX)
        o.dims_log2--; /* many classes: fewer buckets, the model stays under 256 MB */
    cp.o = &o;
    cp.k = k;
    cp.dims = (size_t)1 << o.dims_log2;
    cp.items = ts->items;
    err = featurize_all(&cp, ts, o.algorithm == DC_MODEL_LOGISTIC);
    if (err >= 0 && o.folds > 1 && ts->n >= 2)
        err = cross_validate(&cv, &t, &cp, classes, ts->n);
    rows = malloc((ts->n ? ts->n : 1) * sizeof(size_t));
    if (err >= 0 && !rows)
        err = dc_error_oom();
    for (i = 0; err >= 0 && i < ts->n; i++)
        rows[i] = i;
    if (err >= 0)
        err = fit(&m, &cp, classes, rows, ts->n);
    if (err < 0)
        goto done;
    m->temperature = t;
    if (report) {
        rep = json_pack("{s:s,s:s,s:i,s:i,s:i,s:f,s:I}", "mode",
                        o.mode == DC_MODEL_MULTI_LABEL ? "MULTI_LABEL" : "MULTI_CLASS", "algorithm",
                        o.algorithm == DC_MODEL_BAYES ? "naive_bayes" : "logistic_regression",
                        "documents", (json_int_t)ts->n, "classes", (json_int_t)k, "dims_log2",
                        (json_int_t)o.dims_log2, "temperature", t, "seed",
                        (json_int_t)(o.seed & 0x7fffffffffffffffull));
        if (rep && cv)
            json_object_set(rep, "cross_validation", cv);
        *report = rep ? json_dumps(rep, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
        if (!*report)
            err = dc_error_oom();
    }
done:
    if (err < 0)
        dc_model_free(m);
    else
        *out = m;
    json_decref(rep);
    json_decref(cv);
    corpus_dispose(&cp, ts ? ts->n : 0);
    free(classes);
    free(rows);
    return err;
}

int dc_model_evaluate(char **report, const dc_model *m, const dc_trainset *tsc)
{
    dc_trainset *ts = (dc_trainset *)tsc;
    scored s;
    size_t i, j, unknown = 0;
    json_t *v = NULL;
    int err = DC_OK;

    *report = NULL;
    if (!m || !ts)
        return dc_error_set(DC_EINVAL, "no model or no texts to evaluate");
    memset(&s, 0, sizeof(s));
    s.n = ts->n;
    s.k = m->k;
    s.items = ts->items;
    s.mode = m->mode;
    s.classes = m->classes;
    s.z = calloc(ts->n * m->k + 1, sizeof(double));
    if (!s.z)
        return dc_error_oom();
    for (i = 0; i < ts->n && err >= 0; i++) {
        ts_item *it = &ts->items[i];
        sparse x;
        free(it->labels);
        it->labels = malloc(it->nlabels * sizeof(size_t));
        if (!it->labels) {
            err = dc_error_oom();
            break;
        }
        for (j = 0; j < it->nlabels; j++) {
            size_t c;
            for (c = 0; c < m->k && strcmp(m->classes[c], it->names[j]) != 0; c++)
                ;
            it->labels[j] = c; /* m->k: a class the model does not know */
            unknown += c == m->k;
        }
        err = featurize(&x, it->text, it->len, m->dims, m->algorithm == DC_MODEL_LOGISTIC);
        if (err >= 0)
            logits(m, &x, 1.0, s.z + i * m->k);
        sparse_dispose(&x);
    }
    if (err >= 0) {
        v = metrics(&s, m->temperature);
        if (v)
            json_object_set_new(v, "unknown_labels", json_integer((json_int_t)unknown));
        *report = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
        if (!*report)
            err = dc_error_oom();
    }
    json_decref(v);
    free(s.z);
    return err;
}

int dc_model_report_format(char **out, const char *report)
{
    json_t *root = report ? json_loads(report, 0, NULL) : NULL, *v, *cls, *cal, *c;
    const char *name;
    dc_buf b = DC_BUF_INIT;
    size_t width = 5;
    int err = DC_OK;

    *out = NULL;
    v = json_object_get(root, "cross_validation");
    if (!v)
        v = root;
    cls = json_object_get(v, "classes");
    if (!json_is_object(cls) || !json_is_number(json_object_get(v, "accuracy"))) {
        json_decref(root);
        return dc_error_set(DC_EINVAL, "not a model report");
    }
    json_object_foreach(cls, name, c)
    {
        width = strlen(name) > width ? strlen(name) : width;
    }
    width = width > 40 ? 40 : width;
    dc_buf_init(&b, (size_t)1 << 24);
    if (json_object_get(v, "folds"))
        err = dc_buf_printf(&b, "cross-validated (%d folds): ",
                            (int)json_integer_value(json_object_get(v, "folds")));
    if (err >= 0)
        err = dc_buf_printf(&b, "accuracy %.3f, macro-F1 %.3f (%d documents)\n",
                            json_number_value(json_object_get(v, "accuracy")),
                            json_number_value(json_object_get(v, "macro_f1")),
                            (int)json_integer_value(json_object_get(root, "documents")
                                                        ? json_object_get(root, "documents")
                                                        : json_object_get(v, "documents")));
    if (err >= 0)
        err = dc_buf_printf(&b, "  %-*s  precision  recall     F1  support\n", (int)width, "class");
    json_object_foreach(cls, name, c)
    {
        if (err < 0)
            break;
        err = dc_buf_printf(&b, "  %-*.*s  %9.3f  %6.3f  %5.3f  %7d\n", (int)width, (int)width,
                            name, json_number_value(json_object_get(c, "precision")),
                            json_number_value(json_object_get(c, "recall")),
                            json_number_value(json_object_get(c, "f1")),
                            (int)json_integer_value(json_object_get(c, "support")));
    }
    cal = json_object_get(v, "calibration");
    if (err >= 0 && cal)
        err = dc_buf_printf(&b,
                            "  calibration: temperature %.2f, log loss %.3f -> %.3f, "
                            "expected calibration error %.3f -> %.3f\n",
                            json_number_value(json_object_get(cal, "temperature")),
                            json_number_value(json_object_get(cal, "log_loss_before")),
                            json_number_value(json_object_get(cal, "log_loss_after")),
                            json_number_value(json_object_get(cal, "ece_before")),
                            json_number_value(json_object_get(cal, "ece_after")));
    json_decref(root);
    if (err >= 0)
        *out = dc_buf_detach(&b, NULL);
    dc_buf_dispose(&b);
    return err < 0 ? err : (*out ? DC_OK : dc_error_oom());
}

/* ---------------------------------------------------------------- use */

size_t dc_model_class_count(const dc_model *m)
{
    return m ? m->k : 0;
}

const char *dc_model_class_name(const dc_model *m, size_t i)
{
    return m && i < m->k ? m->classes[i] : NULL;
}

dc_model_mode dc_model_get_mode(const dc_model *m)
{
    return m ? m->mode : DC_MODEL_MULTI_CLASS;
}

const char *dc_model_metadata(const dc_model *m)
{
    return m ? m->metadata : NULL;
}

int dc_model_set_metadata(dc_model *m, const char *json)
{
    json_t *v;
    char *copy;

    if (!m)
        return dc_error_set(DC_EINVAL, "no model");
    v = json ? json_loads(json, 0, NULL) : NULL;
    if (json && !json_is_object(v)) {
        json_decref(v);
        return dc_error_set(DC_EINVAL, "model metadata is not a JSON object");
    }
    json_decref(v);
    copy = json ? dc_strdup(json) : NULL;
    if (json && !copy)
        return dc_error_oom();
    free(m->metadata);
    m->metadata = copy;
    return DC_OK;
}

int dc_model_predict(const dc_model *m, const char *text, size_t len, double *scores)
{
    sparse x;
    double *z;
    int err;

    if (!m || !scores || (!text && len))
        return dc_error_set(DC_EINVAL, "no model, text or scores");
    z = malloc(nz(m->k) * sizeof(double));
    if (!z)
        return dc_error_oom();
    err = featurize(&x, text ? text : "", len, m->dims, m->algorithm == DC_MODEL_LOGISTIC);
    if (err >= 0) {
        logits(m, &x, 1.0, z);
        probabilities(m->mode, z, m->k, m->temperature, scores);
    }
    sparse_dispose(&x);
    free(z);
    return err;
}

void dc_model_free(dc_model *m)
{
    size_t i;

    if (!m)
        return;
    for (i = 0; m->classes && i < m->k; i++)
        free(m->classes[i]);
    free(m->classes);
    free(m->w);
    free(m->b);
    free(m->metadata);
    free(m);
}

/* ---------------------------------------------------------------- files */

static void put_le32(unsigned char *p, float f)
{
    uint32_t u;

    memcpy(&u, &f, 4);
    p[0] = (unsigned char)u;
    p[1] = (unsigned char)(u >> 8);
    p[2] = (unsigned char)(u >> 16);
    p[3] = (unsigned char)(u >> 24);
}

static float get_le32(const unsigned char *p)
{
    uint32_t u = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    float f;

    memcpy(&f, &u, 4);
    return f;
}

int dc_model_save(const dc_model *m, char **out, size_t *len)
{
    json_t *h = NULL, *cls, *meta = NULL;
    char *head = NULL, *buf = NULL;
    size_t hl, nw, i, total;
    unsigned char *p;

    *out = NULL;
    *len = 0;
    if (!m)
        return dc_error_set(DC_EINVAL, "no model");
    cls = json_array();
    for (i = 0; cls && i < m->k; i++)
        json_array_append_new(cls, json_string(m->classes[i]));
    if (m->metadata)
        meta = json_loads(m->metadata, 0, NULL);
    h = json_pack("{s:s,s:i,s:s,s:s,s:i,s:s,s:b,s:f,s:o,s:o}", "format", "docclass-model",
                  "version", (json_int_t)MODEL_VERSION, "mode",
                  m->mode == DC_MODEL_MULTI_LABEL ? "MULTI_LABEL" : "MULTI_CLASS", "algorithm",
                  m->algorithm == DC_MODEL_BAYES ? "naive_bayes" : "logistic_regression",
                  "dims_log2", (json_int_t)m->dims_log2, "features",
                  "words 1-2, characters 3-5, digits as 0", "normalised",
                  m->algorithm == DC_MODEL_LOGISTIC, "temperature", m->temperature, "classes",
                  cls ? cls : json_array(), "metadata", meta ? meta : json_object());
    head = h ? json_dumps(h, JSON_COMPACT | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(h);
    if (!head)
        return dc_error_oom();
    hl = strlen(head);
    nw = m->k * m->dims + m->k;
    total = strlen(MODEL_MAGIC) + hl + 1 + nw * 4;
    buf = malloc(total);
    if (!buf) {
        free(head);
        return dc_error_oom();
    }
    memcpy(buf, MODEL_MAGIC, strlen(MODEL_MAGIC));
    memcpy(buf + strlen(MODEL_MAGIC), head, hl);
    buf[strlen(MODEL_MAGIC) + hl] = '\n';
    p = (unsigned char *)buf + strlen(MODEL_MAGIC) + hl + 1;
    for (i = 0; i < m->k * m->dims; i++, p += 4)
        put_le32(p, m->w[i]);
    for (i = 0; i < m->k; i++, p += 4)
        put_le32(p, m->b[i]);
    free(head);
    *out = buf;
    *len = total;
    return DC_OK;
}

int dc_model_load(dc_model **out, const void *data, size_t len)
{
    const char *s = data, *nl;
    size_t ml = strlen(MODEL_MAGIC), hl, i, k, nw;
    json_t *h = NULL, *cls;
    dc_train_options o;
    char **names = NULL;
    dc_model *m = NULL;
    const unsigned char *p;
    json_int_t version, dl;
    const char *mode, *alg;
    int err = DC_OK;

    *out = NULL;
    if (!data || len < ml || memcmp(s, "docclass-model ", 15) != 0)
        return dc_error_set(DC_ECORRUPT, "not a docclass model (no 'docclass-model' header)");
    if (memcmp(s, MODEL_MAGIC, ml) != 0)
        return dc_error_set(DC_EUNSUPPORTED,
                            "a docclass model of another version (this one reads "
                            "version %d)",
                            MODEL_VERSION);
    nl = memchr(s + ml, '\n', len - ml < HEADER_MAX ? len - ml : HEADER_MAX);
    if (!nl)
        return dc_error_set(DC_ECORRUPT, "model header not terminated");
    hl = (size_t)(nl - (s + ml));
    h = json_loadb(s + ml, hl, 0, NULL);
    dc_train_options_init(&o, DC_TRAIN_OPTIONS_VERSION);
    if (json_unpack(h, "{s:I,s:s,s:s,s:I,s:o}", "version", &version, "mode", &mode, "algorithm",
                    &alg, "dims_log2", &dl, "classes", &cls) != 0 ||
        !json_is_array(cls)) {
        err = dc_error_set(DC_ECORRUPT, "model header is not the expected JSON");
        goto done;
    }
    k = json_array_size(cls);
    if (version != MODEL_VERSION || dl < 10 || dl > 22 || k < 2 || k > CLASSES_MAX ||
        (strcmp(mode, "MULTI_CLASS") != 0 && strcmp(mode, "MULTI_LABEL") != 0) ||
        (strcmp(alg, "logistic_regression") != 0 && strcmp(alg, "naive_bayes") != 0)) {
        err = dc_error_set(DC_ECORRUPT, "model header out of range (version, mode, algorithm, "
                                        "feature space or classes)");
        goto done;
    }
    o.mode = strcmp(mode, "MULTI_LABEL") == 0 ? DC_MODEL_MULTI_LABEL : DC_MODEL_MULTI_CLASS;
    o.algorithm = strcmp(alg, "naive_bayes") == 0 ? DC_MODEL_BAYES : DC_MODEL_LOGISTIC;
    o.dims_log2 = (unsigned)dl;
    nw = k * ((size_t)1 << dl) + k;
    if (nw * 4 != len - ml - hl - 1) {
        err = dc_error_set(DC_ECORRUPT, "model of %zu bytes: its header says %zu", len,
                           ml + hl + 1 + nw * 4);
        goto done;
    }
    names = calloc(k, sizeof(char *));
    if (!names) {
        err = dc_error_oom();
        goto done;
    }
    for (i = 0; i < k; i++) {
        names[i] = (char *)json_string_value(json_array_get(cls, i));
        if (!names[i] || !*names[i]) {
            err = dc_error_set(DC_ECORRUPT, "model class %zu is not a name", i + 1);
            goto done;
        }
    }
    err = new_model(&m, &o, k, names);
    if (err < 0)
        goto done;
    m->temperature = json_real_value(json_object_get(h, "temperature"));
    if (!(m->temperature > 0.01 && m->temperature < 100))
        m->temperature = 1.0;
    if (json_is_object(json_object_get(h, "metadata")) &&
        json_object_size(json_object_get(h, "metadata")) > 0) {
        m->metadata = json_dumps(json_object_get(h, "metadata"), JSON_COMPACT);
        if (!m->metadata)
            err = dc_error_oom();
    }
    p = (const unsigned char *)nl + 1;
    for (i = 0; err >= 0 && i < m->k * m->dims; i++, p += 4) {
        m->w[i] = get_le32(p);
        if (!isfinite(m->w[i]))
            err = dc_error_set(DC_ECORRUPT, "model weight %zu is not a number", i);
    }
    for (i = 0; err >= 0 && i < m->k; i++, p += 4)
        m->b[i] = get_le32(p);
done:
    json_decref(h);
    free(names);
    if (err < 0)
        dc_model_free(m);
    else
        *out = m;
    return err;
}

/* Write to PATH.tmp, then rename: a reader never sees half a model. */
static int write_atomic(const char *path, const char *data, size_t len)
{
    size_t n = strlen(path) + 5;
    char *tmp = malloc(n);
    FILE *f = NULL;
    int err = DC_OK;

    if (!tmp)
        return dc_error_oom();
    (void)snprintf(tmp, n, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f) {
        err = dc_error_set(DC_EIO, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    if (fwrite(data, 1, len, f) != len || fflush(f) != 0)
        err = dc_error_set(DC_EIO, "%s: %s", tmp, strerror(errno));
    if (fclose(f) != 0 && err >= 0)
        err = dc_error_set(DC_EIO, "%s: %s", tmp, strerror(errno));
    if (err >= 0 && rename(tmp, path) != 0)
        err = dc_error_set(DC_EIO, "%s: %s", path, strerror(errno));
    if (err < 0)
        (void)remove(tmp);
done:
    free(tmp);
    return err;
}

int dc_model_save_file(const dc_model *m, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    int err = dc_model_save(m, &data, &len);

    if (err >= 0)
        err = write_atomic(path, data, len);
    free(data);
    return err;
}

int dc_model_load_file(dc_model **out, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    int err;

    *out = NULL;
    err = dc_read_file(&data, &len, path, (size_t)1 << 30);
    if (err >= 0)
        err = dc_model_load(out, data, len);
    free(data);
    return err < 0 ? dc_error_prefix(err, "%s", path) : err;
}
