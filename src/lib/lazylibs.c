/*
 * Loading libraries on first use: dc_dl_open (used by every stage that
 * loads its library this way: ocr.c, http.c, split.c, crypto.c) and the
 * libzip and libxml2 loaders (see lazylibs.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define DC_LAZYLIBS_IMPL
#include "lazylibs.h"

#include "internal.h"

#define DC_ZIP_SONAME "libzip.so.4"
#define DC_XML_SONAME "libxml2.so.2"

#define DC_LAZY_DEFINE(f) __typeof__(f) *dl_##f;
DC_ZIP_FUNCS(DC_LAZY_DEFINE)
DC_XML_FUNCS(DC_LAZY_DEFINE)
#undef DC_LAZY_DEFINE
xmlFreeFunc *dl_xmlFree_var;

static pthread_once_t zip_once = PTHREAD_ONCE_INIT, xml_once = PTHREAD_ONCE_INIT;
static char zip_error[256], xml_error[256];
static int xml_loaded;

void *dc_dl_open(const char *soname, const dc_dl_sym *syms, size_t n, char *msg, size_t size)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        (void)snprintf(msg, size, "cannot load %s: %s", soname, dlerror());
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        void *sym = dlsym(lib, syms[i].name);
        if (!sym) {
            (void)snprintf(msg, size, "%s has no %s", soname, syms[i].name);
            return NULL; /* stays loaded: nothing of it is used */
        }
        memcpy(syms[i].slot, &sym, sizeof(sym));
    }
    return lib;
}

static void load_zip(void)
{
    static const dc_dl_sym syms[] = {DC_ZIP_FUNCS(DC_DL_SYM)};

    (void)dc_dl_open(DC_ZIP_SONAME, syms, sizeof(syms) / sizeof(syms[0]), zip_error,
                     sizeof(zip_error));
}

static void load_xml(void)
{
    static const dc_dl_sym syms[] = {DC_XML_FUNCS(DC_DL_SYM){"xmlFree", &dl_xmlFree_var}};

    if (!dc_dl_open(DC_XML_SONAME, syms, sizeof(syms) / sizeof(syms[0]), xml_error,
                    sizeof(xml_error)))
        return;
    dl_xmlInitParser(); /* once, before any thread parses */
    xml_loaded = 1;
}

int dc_zip_load(void)
{
    (void)pthread_once(&zip_once, load_zip);
    return zip_error[0] ? dc_error_set(DC_ERROR, "%s", zip_error) : DC_OK;
}

int dc_xml_load(void)
{
    (void)pthread_once(&xml_once, load_xml);
    return xml_error[0] ? dc_error_set(DC_ERROR, "%s", xml_error) : DC_OK;
}

void dc_xml_cleanup(void)
{
    if (xml_loaded)
        dl_xmlCleanupParser();
}
