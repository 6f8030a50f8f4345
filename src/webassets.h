/* webassets — files of web/ embedded at build time (GENERATED table).
 *
 * tools/webassets.sh turns the html, css and js files of web/ into build/gen/webassets.c; the
 * table ends with a {0,0,0} entry. Bytes are static and NUL-terminated; nothing
 * is owned by a caller. Used by the report renderer to inline its page.
 */
#ifndef APN_WEBASSETS_H
#define APN_WEBASSETS_H
#include <stddef.h>

typedef struct apn__web_asset {
    const char *name;   /* file name without directory: "report.html" */
    const char *data;
    size_t len;
} apn__web_asset;

extern const apn__web_asset apn__web_assets[];

#endif
