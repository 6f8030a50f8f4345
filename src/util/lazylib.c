/* lazylib — libcurl and GLPK loaded on first use. See lazylib.h. */
#include "util/lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <apnmap/common.h>

int apn_lazylib__open(void (**fns)(void), const char *names, size_t nfns, const char *soname,
                      const char *prefix, const char *package, char *err, size_t n)
{
    char sym[128];
    const char *why;
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        why = dlerror();
        if (n)
            snprintf(err, n, "cannot load %s (install the Debian package %s): %s", soname, package,
                     why ? why : "not found");
        return APN_ERROR;
    }
    for (size_t i = 0; i < nfns; i++, names += strlen(names) + 1) {
        snprintf(sym, sizeof sym, "%s%s", prefix, names);
        dlerror();
        void *p = dlsym(h, sym);
        if (!p) {
            why = dlerror();
            if (n)
                snprintf(err, n, "cannot load %s (install the Debian package %s): no %s: %s",
                         soname, package, sym, why ? why : "null symbol");
            dlclose(h);
            return APN_ERROR;
        }
        /* POSIX's way from dlsym's object pointer to a function pointer */
        memcpy(&fns[i], &p, sizeof p);
    }
    return 0;
}

/* ---- the two libraries -------------------------------------------------- */

#define NAME(f) #f "\0"
#define ONE(f) +1

static struct {
    pthread_once_t once;
    int rc;
    char err[512];
    apn_lazylib_curl fns;
} curl = { PTHREAD_ONCE_INIT, 0, "", { 0 } };

static struct {
    pthread_once_t once;
    int rc;
    char err[512];
    apn_lazylib_glpk fns;
} glpk = { PTHREAD_ONCE_INIT, 0, "", { 0 } };

static void curl_open(void)
{
    void (*fns[0 APN_LAZYLIB_CURL_FNS(ONE)])(void);
    size_t i = 0;
    curl.rc = apn_lazylib__open(fns, APN_LAZYLIB_CURL_FNS(NAME), sizeof fns / sizeof *fns,
                                "libcurl.so.4", "curl_", "libcurl4", curl.err, sizeof curl.err);
    if (curl.rc < 0)
        return;
#define SET(f) curl.fns.f = (__typeof__(curl.fns.f))fns[i++];
    APN_LAZYLIB_CURL_FNS(SET)
#undef SET
}

static void glpk_open(void)
{
    void (*fns[0 APN_LAZYLIB_GLPK_FNS(ONE)])(void);
    size_t i = 0;
    glpk.rc = apn_lazylib__open(fns, APN_LAZYLIB_GLPK_FNS(NAME), sizeof fns / sizeof *fns,
                                "libglpk.so.40", "glp_", "libglpk40", glpk.err, sizeof glpk.err);
    if (glpk.rc < 0)
        return;
#define SET(f) glpk.fns.f = (__typeof__(glpk.fns.f))fns[i++];
    APN_LAZYLIB_GLPK_FNS(SET)
#undef SET
}

int apn_lazylib_curl_load(const apn_lazylib_curl **out, const char **why)
{
    pthread_once(&curl.once, curl_open);
    *out = curl.rc < 0 ? NULL : &curl.fns;
    *why = curl.rc < 0 ? curl.err : NULL;
    return curl.rc;
}

int apn_lazylib_glpk_load(const apn_lazylib_glpk **out, const char **why)
{
    pthread_once(&glpk.once, glpk_open);
    *out = glpk.rc < 0 ? NULL : &glpk.fns;
    *why = glpk.rc < 0 ? glpk.err : NULL;
    return glpk.rc;
}
