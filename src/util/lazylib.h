/* lazylib — libcurl and GLPK, loaded (dlopen) by the first call that needs them.
 *
 * Linked, they cost every process ~5 ms of CPU before main (libcurl brings ~30
 * libraries: gnutls, krb5, ldap, ...), yet only fetch uses libcurl and only plan's
 * MIP uses GLPK. This module owns both: it opens them by the sonames of the Debian
 * runtime packages (libcurl.so.4: libcurl4, libglpk.so.40: libglpk40), once per
 * process (thread-safe), never closes them, and hands out static function tables
 * (borrowed). Fields are typed from <curl/curl.h> and <glpk.h>, so calls are checked
 * as direct ones; field `easy_init` is curl_easy_init, `create_prob` glp_create_prob.
 */
#ifndef APN_LAZYLIB_H
#define APN_LAZYLIB_H

#include <stddef.h>

#include <curl/curl.h>
#include <glpk.h>

/* The functions fetch.c and mip.c call, without their curl_ / glp_ prefix. */
#define APN_LAZYLIB_CURL_FNS(X) \
    X(global_init) X(global_cleanup) X(easy_init) X(easy_cleanup) X(easy_setopt) \
    X(easy_perform) X(easy_getinfo) X(easy_strerror) X(slist_append) X(slist_free_all)
#define APN_LAZYLIB_GLPK_FNS(X) \
    X(term_out) X(create_prob) X(delete_prob) X(set_obj_dir) X(add_cols) X(add_rows) \
    X(set_col_bnds) X(set_col_kind) X(set_obj_coef) X(set_mat_row) X(set_row_bnds) \
    X(init_smcp) X(simplex) X(get_status) X(init_iocp) X(intopt) X(mip_status) \
    X(mip_obj_val) X(mip_col_val)

#define APN_LAZYLIB_CURL_FIELD(f) __typeof__(curl_##f) *f;
#define APN_LAZYLIB_GLPK_FIELD(f) __typeof__(glp_##f) *f;
typedef struct apn_lazylib_curl { APN_LAZYLIB_CURL_FNS(APN_LAZYLIB_CURL_FIELD) } apn_lazylib_curl;
typedef struct apn_lazylib_glpk { APN_LAZYLIB_GLPK_FNS(APN_LAZYLIB_GLPK_FIELD) } apn_lazylib_glpk;

/* Loads the library on the first call (later calls return the same result).
 * Returns 0 and sets *out (borrowed), or APN_ERROR with *out NULL and *why set
 * to a message (static) naming the library, the Debian package that installs
 * it and the loader's reason. */
int apn_lazylib_curl_load(const apn_lazylib_curl **out, const char **why);
int apn_lazylib_glpk_load(const apn_lazylib_glpk **out, const char **why);

/* The loader behind both, for tests: opens soname and resolves prefix + each of
 * the nfns NUL-separated names in names into fns[i] (in order). Returns 0, or
 * APN_ERROR with err set as above; on failure nothing stays open. */
int apn_lazylib__open(void (**fns)(void), const char *names, size_t nfns, const char *soname,
                      const char *prefix, const char *package, char *err, size_t n);

#endif
