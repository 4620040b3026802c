/*
 * libzip and libxml2, loaded on first use (lazylibs.c) instead of linked:
 * with libzip comes libcrypto, and together they are a fifth of a docclass
 * process's start-up, paid by every PDF or image extraction that never
 * opens a ZIP or parses XML. The files that use them (ooxml.c, archive.c,
 * docx.c) include this header instead of <zip.h> and <libxml/...>; it maps
 * each function used to a pointer resolved by dc_zip_load / dc_xml_load,
 * which the entry points (dc_ooxml_open, dc_archive_open, dc_xml_open) call
 * before anything else.
 */
#ifndef DC_LAZYLIBS_H
#define DC_LAZYLIBS_H

#include <libxml/xmlreader.h>
#include <zip.h>

/* Load the library once per process; DC_OK, or an error saying why not. */
int dc_zip_load(void);
int dc_xml_load(void);
/* libxml2's process clean-up, when it was ever loaded. */
void dc_xml_cleanup(void);

#define DC_ZIP_FUNCS(X)         \
    X(zip_discard)              \
    X(zip_error_fini)           \
    X(zip_error_init)           \
    X(zip_error_init_with_code) \
    X(zip_error_strerror)       \
    X(zip_fclose)               \
    X(zip_file_strerror)        \
    X(zip_fopen_index)          \
    X(zip_fread)                \
    X(zip_get_name)             \
    X(zip_get_num_entries)      \
    X(zip_name_locate)          \
    X(zip_open)                 \
    X(zip_open_from_source)     \
    X(zip_source_buffer_create) \
    X(zip_source_free)          \
    X(zip_stat_index)           \
    X(zip_stat_init)            \
    X(zip_strerror)

#define DC_XML_FUNCS(X)               \
    X(xmlCleanupParser)               \
    X(xmlFreeTextReader)              \
    X(xmlInitParser)                  \
    X(xmlReaderForMemory)             \
    X(xmlTextReaderConstLocalName)    \
    X(xmlTextReaderConstNamespaceUri) \
    X(xmlTextReaderConstValue)        \
    X(xmlTextReaderDepth)             \
    X(xmlTextReaderGetAttribute)      \
    X(xmlTextReaderGetAttributeNs)    \
    X(xmlTextReaderIsEmptyElement)    \
    X(xmlTextReaderNext)              \
    X(xmlTextReaderNodeType)          \
    X(xmlTextReaderRead)              \
    X(xmlTextReaderSetStructuredErrorHandler)

#define DC_LAZY_EXTERN(f) extern __typeof__(f) *dl_##f;
DC_ZIP_FUNCS(DC_LAZY_EXTERN)
DC_XML_FUNCS(DC_LAZY_EXTERN)
#undef DC_LAZY_EXTERN
/* xmlFree is a variable of libxml2 (a function pointer), not a function */
extern xmlFreeFunc *dl_xmlFree_var;

#ifndef DC_LAZYLIBS_IMPL
#define zip_discard              dl_zip_discard
#define zip_error_fini           dl_zip_error_fini
#define zip_error_init           dl_zip_error_init
#define zip_error_init_with_code dl_zip_error_init_with_code
#define zip_error_strerror       dl_zip_error_strerror
#define zip_fclose               dl_zip_fclose
#define zip_file_strerror        dl_zip_file_strerror
#define zip_fopen_index          dl_zip_fopen_index
#define zip_fread                dl_zip_fread
#define zip_get_name             dl_zip_get_name
#define zip_get_num_entries      dl_zip_get_num_entries
#define zip_name_locate          dl_zip_name_locate
#define zip_open                 dl_zip_open
#define zip_open_from_source     dl_zip_open_from_source
#define zip_source_buffer_create dl_zip_source_buffer_create
#define zip_source_free          dl_zip_source_free
#define zip_stat_index           dl_zip_stat_index
#define zip_stat_init            dl_zip_stat_init
#define zip_strerror             dl_zip_strerror

#define xmlCleanupParser                       dl_xmlCleanupParser
#define xmlFreeTextReader                      dl_xmlFreeTextReader
#define xmlInitParser                          dl_xmlInitParser
#define xmlReaderForMemory                     dl_xmlReaderForMemory
#define xmlTextReaderConstLocalName            dl_xmlTextReaderConstLocalName
#define xmlTextReaderConstNamespaceUri         dl_xmlTextReaderConstNamespaceUri
#define xmlTextReaderConstValue                dl_xmlTextReaderConstValue
#define xmlTextReaderDepth                     dl_xmlTextReaderDepth
#define xmlTextReaderGetAttribute              dl_xmlTextReaderGetAttribute
#define xmlTextReaderGetAttributeNs            dl_xmlTextReaderGetAttributeNs
#define xmlTextReaderIsEmptyElement            dl_xmlTextReaderIsEmptyElement
#define xmlTextReaderNext                      dl_xmlTextReaderNext
#define xmlTextReaderNodeType                  dl_xmlTextReaderNodeType
#define xmlTextReaderRead                      dl_xmlTextReaderRead
#define xmlTextReaderSetStructuredErrorHandler dl_xmlTextReaderSetStructuredErrorHandler
#undef xmlFree
#define xmlFree (*dl_xmlFree_var)
#endif

#endif
