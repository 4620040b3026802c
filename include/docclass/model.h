/*
 * docclass: a local document classifier (docs/train.md).
 *
 * A linear model over hashed word and character n-grams of a page's text,
 * trained and applied here: multinomial logistic regression (multi-class),
 * one-vs-rest logistic regression (multi-label) or multinomial naive Bayes
 * (multi-class). Training is deterministic for a seed. It answers
 * `classify --local` and `serve --model` with the Classes or Labels a
 * Comprehend custom classifier would give, from the text docclass extracts
 * as the service would.
 */
#ifndef DOCCLASS_MODEL_H
#define DOCCLASS_MODEL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    DC_MODEL_MULTI_CLASS = 0, /**< one class a document; scores sum to 1 */
    DC_MODEL_MULTI_LABEL,     /**< any number of labels; a score each */
} dc_model_mode;

typedef enum {
    DC_MODEL_LOGISTIC = 0, /**< logistic regression (SGD, L2) */
    DC_MODEL_BAYES,        /**< multinomial naive Bayes (multi-class only) */
} dc_model_algorithm;

/** Training options; zero in every field is its default. */
typedef struct {
    int version;                  /**< DC_TRAIN_OPTIONS_VERSION */
    dc_model_mode mode;           /**< MULTI_CLASS */
    dc_model_algorithm algorithm; /**< LOGISTIC */
    unsigned dims_log2;           /**< hashed feature space 2^n, 10-22 (0: 18) */
    int epochs;                   /**< SGD passes (0: 20) */
    double l2;                    /**< L2 penalty (0: 1e-6) */
    unsigned long long seed;      /**< shuffling and folds (0: 1) */
    int folds;                    /**< k of the cross-validation, 2-20 (0: 5; -1: none) */
} dc_train_options;

#define DC_TRAIN_OPTIONS_VERSION 1
#define DC_TRAIN_OPTIONS_INIT               \
    {                                       \
        .version = DC_TRAIN_OPTIONS_VERSION \
    }

/** Initialise training options to the defaults (zeros and the version). */
DC_API int dc_train_options_init(dc_train_options *opts, int version);

/** Labelled texts to train on. Opaque. */
typedef struct dc_trainset dc_trainset;

/** An empty set. @param[out] out free with dc_trainset_free() */
DC_API int dc_trainset_new(dc_trainset **out);
/**
 * Add a text (copied; at most 1 MB of it is read) with its labels (1 for
 * multi-class, 1 or more for multi-label; copied).
 * @return DC_OK, DC_EINVAL (no label, empty label), DC_ENOMEM.
 */
DC_API int dc_trainset_add(
    dc_trainset *ts, const char *text, size_t len, const char *const *labels, size_t nlabels);
/** Number of texts in the set. */
DC_API size_t dc_trainset_count(const dc_trainset *ts);
/** Free a set. NULL-safe. */
DC_API void dc_trainset_free(dc_trainset *ts);

/** A trained model. Opaque; immutable, safe to share between threads. */
typedef struct dc_model dc_model;

/**
 * Train on @p ts. With folds > 1 (the default 5), k-fold cross-validation
 * (stratified by first label) runs first: its figures go to @p report, and
 * its held-out scores fit the temperature that calibrates the final
 * model's probabilities.
 * @param[out] out the model; free with dc_model_free()
 * @param[out] report JSON (folds, accuracy, macro_f1, per class precision,
 *             recall, F1, support; calibration); NULL to skip; dc_free()
 * @return DC_OK, DC_EINVAL (fewer than 2 classes, bad option), DC_ENOMEM.
 */
DC_API int
dc_model_train(dc_model **out, char **report, const dc_trainset *ts, const dc_train_options *opts);

/**
 * Evaluate a model on labelled texts (e.g. the same documents read another
 * way): the same JSON figures as the training report, without folds.
 * @param[out] report dc_free()
 */
DC_API int dc_model_evaluate(char **report, const dc_model *m, const dc_trainset *ts);

/**
 * A training or evaluation report (the JSON of dc_model_train() or
 * dc_model_evaluate()) as lines for people: accuracy and macro-F1, then
 * precision, recall, F1 and support of each class, then the calibration.
 * @param[out] out dc_free()
 * @return DC_OK, DC_EINVAL (not such a report), DC_ENOMEM.
 */
DC_API int dc_model_report_format(char **out, const char *report);

/** Number of classes (labels). */
DC_API size_t dc_model_class_count(const dc_model *m);
/** Name of class @p i. Borrowed. */
DC_API const char *dc_model_class_name(const dc_model *m, size_t i);
DC_API dc_model_mode dc_model_get_mode(const dc_model *m);
/**
 * Free-form JSON the trainer stored with the model (e.g. the
 * DocumentReaderConfig the training text was extracted under), or NULL.
 * Borrowed.
 */
DC_API const char *dc_model_metadata(const dc_model *m);
/** Set that metadata (a JSON object text; copied). */
DC_API int dc_model_set_metadata(dc_model *m, const char *json);

/**
 * Score a text: @p scores gets dc_model_class_count() probabilities
 * (multi-class: they sum to 1; multi-label: each in [0, 1]).
 */
DC_API int dc_model_predict(const dc_model *m, const char *text, size_t len, double *scores);

/**
 * The model as bytes: a text header line, a JSON line (mode, algorithm,
 * classes, features, temperature, metadata), then little-endian float32
 * weights. @param[out] out dc_free()
 */
DC_API int dc_model_save(const dc_model *m, char **out, size_t *len);
DC_API int dc_model_save_file(const dc_model *m, const char *path);
/**
 * Read a model back (checks the header, the version, every size).
 * @return DC_OK, DC_ECORRUPT (not a model, truncated, bad header),
 *         DC_EUNSUPPORTED (a newer version), DC_ENOMEM.
 */
DC_API int dc_model_load(dc_model **out, const void *data, size_t len);
DC_API int dc_model_load_file(dc_model **out, const char *path);
/** Free a model. NULL-safe. */
DC_API void dc_model_free(dc_model *m);

#ifdef __cplusplus
}
#endif

#endif
