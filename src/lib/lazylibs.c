/*
 * Loading libzip and libxml2 on first use (see lazylibs.h).
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

/* dlopen soname; NULL with msg set when it cannot be loaded. */
static void *open_lib(const char *soname, char *msg, size_t size)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

    if (!lib)
        (void)snprintf(msg, size, "cannot load %s: %s", soname, dlerror());
    return lib;
}

#define DC_LAZY_LOAD(f)                                            \
    if (!msg[0]) {                                                 \
        void *sym = dlsym(lib, #f);                                \
        if (sym)                                                   \
            memcpy(&dl_##f, &sym, sizeof(sym));                    \
        else                                                       \
            (void)snprintf(msg, size, "%s has no %s", soname, #f); \
    }

static void load_zip(void)
{
    const char *soname = DC_ZIP_SONAME;
    char *msg = zip_error;
    size_t size = sizeof(zip_error);
    void *lib = open_lib(soname, msg, size);

    if (!lib)
        return;
    DC_ZIP_FUNCS(DC_LAZY_LOAD)
}

static void load_xml(void)
{
    const char *soname = DC_XML_SONAME;
    char *msg = xml_error;
    size_t size = sizeof(xml_error);
    void *lib = open_lib(soname, msg, size), *free_var;

    if (!lib)
        return;
    DC_XML_FUNCS(DC_LAZY_LOAD)
    free_var = msg[0] ? NULL : dlsym(lib, "xmlFree");
    if (!msg[0] && !free_var)
        (void)snprintf(msg, size, "%s has no xmlFree", soname);
    if (msg[0])
        return;
    dl_xmlFree_var = free_var;
    dl_xmlInitParser(); /* once, before any thread parses */
    xml_loaded = 1;
}
#undef DC_LAZY_LOAD

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
