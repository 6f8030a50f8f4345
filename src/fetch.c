/* fetch — mirror the checklist site with libcurl. See include/apnmap/fetch.h.
 *
 * Sections:
 *   1. the built-in start list
 *   2. URLs: resolution, percent-encoding, origin, mirror path, follow rule
 *   3. HTTP: one request with rate limit and retries (libcurl easy interface,
 *      loaded by apn_fetch through lazylib: nothing else in apnmap needs it)
 *   4. the crawl, which keeps manifest.csv through read/manifest.h
 * The links of a page are read in fetch_links.c.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include <apnmap/apnmap.h>
#include <apnmap/fetch.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/lazylib.h"
#include "read/ingest.h"
#include "read/manifest.h"
#include "fetch_int.h"
#include "fetch_links.h"

/* ==== 1. the built-in start list ==========================================
 * Data, not code: the index, checklist and workbook URLs known publicly
 * (docs/formats.md §1; the FTR's translation folders expanded, the change-log
 * PDF left out). When the project's list of checklist URLs is found beside the
 * checkout, test_fetch checks that the two agree. Translations are requested
 * only with --lang. */
static const char *const default_urls[] = {
    "https://apn-checklists.s3.amazonaws.com/foundational/index/all/CGFp311uG.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/cn/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/tw/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/ko/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/ja/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/pt/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/es/CVLHEC5X7.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/CVLHEC5X7/"
    "Partner Hosted Foundational Technical Review Self-Assessment.xlsx",
    "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted-alternative/CwYryx6XW.html",
    "https://apn-checklists.s3.amazonaws.com/foundational/customer-deployed/customer-deployed/C0hfGvKGP.html",
    "https://apn-checklists.s3.amazonaws.com/competency/generative-ai/consulting/Cks9Pu3tv.html",
    "https://apn-checklists.s3.amazonaws.com/competency/small-and-medium-business-(smb)/consulting/CldTOTBg1.html",
    "https://apn-checklists.s3.amazonaws.com/competency/small-and-medium-business-(smb)/technology/CQOokK8QS.html",
    "https://apn-checklists.s3.amazonaws.com/competency/container/technology/CUrwMcJGm.html",
    "https://apn-checklists.s3.amazonaws.com/competency/devops/consulting/Cm5yq5ehT.html",
    "https://apn-checklists.s3.amazonaws.com/competency/energy/technology/CTfpLeXqi.html",
    "https://apn-checklists.s3.amazonaws.com/competency/energy/consulting/CTpftZxbZ.html",
    "https://apn-checklists.s3.amazonaws.com/competency/managed-security-service-provider/consulting/CUy5huzcb.html",
    "https://apn-checklists.s3.amazonaws.com/competency/security/technology/C_Ss7_A10.html",
    "https://apn-checklists.s3.amazonaws.com/competency/security/consulting/CXLOf6Hk3.html",
    "https://apn-checklists.s3.amazonaws.com/competency/education/consulting/Ccf_WVoOo.html",
    "https://apn-checklists.s3.amazonaws.com/competency/financial-services/consulting/CWNIstW4j.html",
    "https://apn-checklists.s3.amazonaws.com/competency/conversational-ai/consulting/Cvkq1FdL1.html",
    "https://apn-checklists.s3.amazonaws.com/competency/data-and-analytics/consulting/CwDeMHw3L.html",
    "https://apn-checklists.s3.amazonaws.com/competency/machine-learning/consulting/CDrF84yod.html",
    NULL
};

const char *const *apn_fetch_default_urls(void)
{
    return default_urls;
}

/* ==== 2. URLs ============================================================== */

typedef struct urlparts {
    const char *scheme, *auth, *path, *query;
    size_t scheme_len, auth_len, path_len, query_len;
    int has_scheme, has_auth, has_query;
} urlparts;

/* Splits s (no fragment) into RFC 3986 components; pointers into s. */
static void url_split(urlparts *u, const char *s)
{
    const char *p = s;
    memset(u, 0, sizeof *u);
    if (isalpha((unsigned char)*p)) {
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
            q++;
        if (*q == ':') {
            u->has_scheme = 1;
            u->scheme = p;
            u->scheme_len = (size_t)(q - p);
            p = q + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->has_auth = 1;
        u->auth = p;
        while (*p && *p != '/' && *p != '?')
            p++;
        u->auth_len = (size_t)(p - u->auth);
    }
    u->path = p;
    while (*p && *p != '?')
        p++;
    u->path_len = (size_t)(p - u->path);
    if (*p == '?') {
        u->has_query = 1;
        u->query = p + 1;
        u->query_len = strlen(p + 1);
    }
}

/* RFC 3986 §5.2.4 remove_dot_segments, in place on a NUL-terminated path. */
static void remove_dots(char *in)
{
    char *out = in, *r = in;   /* out never overtakes r */
    while (*r) {
        if (!strncmp(r, "../", 3))
            r += 3;
        else if (!strncmp(r, "./", 2))
            r += 2;
        else if (!strncmp(r, "/./", 3))
            r += 2;
        else if (!strcmp(r, "/.")) {
            r += 1;
            *r = '/';   /* "/." -> "/": reuse the '.' byte as the slash */
        } else if (!strncmp(r, "/../", 4) || !strcmp(r, "/..")) {
            if (r[3] == '/')
                r += 3;
            else {
                r += 2;
                *r = '/';
            }
            while (out > in && *--out != '/')
                ;
        } else if (!strcmp(r, ".") || !strcmp(r, "..")) {
            r += strlen(r);
        } else {
            do
                *out++ = *r++;
            while (*r && *r != '/');
        }
    }
    *out = 0;
}

static int is_hex(int c)
{
    return isxdigit((unsigned char)c);
}

/* Appends s[0..n) percent-encoding what is outside the URL alphabet. */
static void put_encoded(apn_buf *b, const char *s, size_t n, int query)
{
    static const char keep[] = "-._~!$&'()*+,;=:@/";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) || (c && strchr(keep, c)) || (query && c == '?') ||
            (c == '%' && i + 2 < n && is_hex(s[i + 1]) && is_hex(s[i + 2])))
            apn_buf_putc(b, (char)c);
        else
            apn_buf_printf(b, "%%%02X", c);
    }
}

int apn_fetch__resolve(char **out, const char *base, const char *ref)
{
    apn_buf r = APN_BUF_INIT, path = APN_BUF_INIT, res = APN_BUF_INIT;
    urlparts B, R;
    const char *scheme, *auth, *query;
    size_t scheme_len, auth_len, query_len;
    int has_query, err = 0;
    char *bcopy = NULL;

    *out = NULL;
    /* HTML: strip surrounding whitespace and any tab or newline inside */
    while (*ref && (unsigned char)*ref <= ' ')
        ref++;
    for (const char *p = ref; *p && *p != '#'; p++)
        if (*p != '\t' && *p != '\n' && *p != '\r')
            apn_buf_putc(&r, *p);
    while (r.len && (unsigned char)r.ptr[r.len - 1] <= ' ')
        r.ptr[--r.len] = 0;
    bcopy = apn_strdup(base);
    if (!bcopy || r.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (strchr(bcopy, '#'))
        *strchr(bcopy, '#') = 0;
    url_split(&B, bcopy);
    url_split(&R, apn_buf_cstr(&r));
    if (!B.has_scheme || !B.has_auth) {
        err = APN_EPARSE;
        goto cleanup;
    }
    scheme = B.scheme, scheme_len = B.scheme_len;
    auth = B.auth, auth_len = B.auth_len;
    query = R.query, query_len = R.query_len, has_query = R.has_query;
    if (R.has_scheme) {
        scheme = R.scheme, scheme_len = R.scheme_len;
        if (!R.has_auth) {
            err = APN_EPARSE;   /* "mailto:x", "javascript:...", "http:relative" */
            goto cleanup;
        }
    }
    if (R.has_scheme || R.has_auth) {
        auth = R.auth, auth_len = R.auth_len;
        apn_buf_put(&path, R.path, R.path_len);
    } else if (R.path_len == 0) {
        apn_buf_put(&path, B.path, B.path_len);
        if (!has_query)
            query = B.query, query_len = B.query_len, has_query = B.has_query;
    } else if (R.path[0] == '/') {
        apn_buf_put(&path, R.path, R.path_len);
    } else {
        size_t keep = 0;
        for (size_t i = 0; i < B.path_len; i++)
            if (B.path[i] == '/')
                keep = i + 1;
        if (B.path_len == 0)
            apn_buf_putc(&path, '/');
        apn_buf_put(&path, B.path, keep);
        apn_buf_put(&path, R.path, R.path_len);
    }
    if (path.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (path.ptr) {
        remove_dots(path.ptr);
        path.len = strlen(path.ptr);
    }
    /* scheme: http or https only */
    if (!((scheme_len == 4 && !strncasecmp(scheme, "http", 4)) ||
          (scheme_len == 5 && !strncasecmp(scheme, "https", 5)))) {
        err = APN_EPARSE;
        goto cleanup;
    }
    int https = scheme_len == 5;
    if (auth_len == 0 || memchr(auth, '@', auth_len)) {
        err = APN_EPARSE;
        goto cleanup;
    }
    /* drop an empty or default port */
    const char *colon = NULL;
    for (size_t i = 0; i < auth_len; i++)
        if (auth[i] == ':')
            colon = auth + i;
        else if (auth[i] == ']')
            colon = NULL;   /* an IPv6 literal's colons are not a port */
    size_t host_len = auth_len;
    if (colon) {
        const char *port = colon + 1;
        size_t plen = auth_len - (size_t)(port - auth);
        for (size_t i = 0; i < plen; i++)
            if (!isdigit((unsigned char)port[i])) {
                err = APN_EPARSE;
                goto cleanup;
            }
        if (plen == 0 || (plen == 2 && !https && !strncmp(port, "80", 2)) ||
            (plen == 3 && https && !strncmp(port, "443", 3)))
            host_len = (size_t)(colon - auth);
    }
    if (host_len == 0 || (colon && colon == auth)) {
        err = APN_EPARSE;
        goto cleanup;
    }
    apn_buf_puts(&res, https ? "https://" : "http://");
    for (size_t i = 0; i < host_len; i++) {
        unsigned char c = (unsigned char)auth[i];
        if (c <= ' ' || c == '/' || c == '\\' || c == '%' || c >= 0x7f) {
            err = APN_EPARSE;
            goto cleanup;
        }
        apn_buf_putc(&res, (char)tolower(c));
    }
    if (!path.len)
        apn_buf_putc(&res, '/');
    else {
        if (path.ptr[0] != '/')
            apn_buf_putc(&res, '/');
        put_encoded(&res, path.ptr, path.len, 0);
    }
    if (has_query) {
        apn_buf_putc(&res, '?');
        put_encoded(&res, query, query_len, 1);
    }
    if (res.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    *out = apn_buf_detach(&res);
cleanup:
    apn_free(bcopy);
    apn_buf_dispose(&r);
    apn_buf_dispose(&path);
    apn_buf_dispose(&res);
    return err;
}

int apn_fetch__origin(char *buf, size_t n, const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return APN_EPARSE;
    p += 3;
    while (*p && *p != '/' && *p != '?')
        p++;
    size_t len = (size_t)(p - url);
    if (len + 1 > n)
        return APN_EPARSE;
    memcpy(buf, url, len);
    buf[len] = 0;
    return 0;
}

const char *apn_fetch__path(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    while (*p && *p != '/' && *p != '?')
        p++;
    return *p == '/' ? p : "/";
}

static int hexval(int c)
{
    return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

int apn_fetch__mirror_path(char **out, const char *url)
{
    apn_buf b = APN_BUF_INIT, seg = APN_BUF_INIT;
    const char *p = apn_fetch__path(url);
    int err = 0, last_was_dir = 1;
    *out = NULL;
    while (*p && *p != '?') {
        if (*p == '/') {
            p++;
            continue;
        }
        apn_buf_clear(&seg);
        while (*p && *p != '/' && *p != '?') {
            int c = (unsigned char)*p;
            if (c == '%' && is_hex(p[1]) && is_hex(p[2])) {
                c = hexval((unsigned char)p[1]) * 16 + hexval((unsigned char)p[2]);
                p += 2;
            }
            p++;
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
                err = APN_EPARSE;
                goto cleanup;
            }
            apn_buf_putc(&seg, (char)c);
        }
        const char *s = apn_buf_cstr(&seg);
        if (!strcmp(s, ".") || !strcmp(s, "..")) {
            err = APN_EPARSE;
            goto cleanup;
        }
        if (b.len)
            apn_buf_putc(&b, '/');
        apn_buf_puts(&b, s);
        last_was_dir = *p == '/';
    }
    if (last_was_dir) {
        if (b.len)
            apn_buf_putc(&b, '/');
        apn_buf_puts(&b, "index.html");
    }
    if (b.oom || seg.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    *out = apn_buf_detach(&b);
cleanup:
    apn_buf_dispose(&b);
    apn_buf_dispose(&seg);
    return err;
}

static int is_lang_segment(const char *s, size_t n)
{
    if (n != 2 && !(n >= 5 && n <= 7 && s[2] == '-'))
        return 0;
    if (!isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
        return 0;
    for (size_t i = 3; i < n; i++)
        if (!isalnum((unsigned char)s[i]))
            return 0;
    return 1;
}

const char *apn_fetch__lang(char *buf, size_t n, const char *url)
{
    const char *p = apn_fetch__path(url);
    int idx = 0;
    while (*p == '/') {
        const char *s = ++p;
        while (*p && *p != '/' && *p != '?')
            p++;
        size_t len = (size_t)(p - s);
        /* a folder (more path follows) after the programme and slug folders */
        if (*p == '/' && idx >= 2 && is_lang_segment(s, len) && len < n) {
            for (size_t i = 0; i < len; i++)
                buf[i] = (char)tolower((unsigned char)s[i]);
            buf[len] = 0;
            return buf;
        }
        idx++;
    }
    return NULL;
}

static int lang_accepted(const char *langs, const char *lang)
{
    if (!langs)
        return 0;
    if (!strcasecmp(langs, "all"))
        return 1;
    size_t n = strlen(lang);
    for (const char *p = langs; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncasecmp(p, lang, n))
            return 1;
        p += len + (e ? 1 : 0);
    }
    return 0;
}

int apn_fetch__follow(const char *url, const char *origin, const char *langs)
{
    char o[512], lang[16];
    if (apn_fetch__origin(o, sizeof o, url) < 0 || strcmp(o, origin))
        return 0;
    if (strchr(url, '?'))
        return 0;
    const char *path = apn_fetch__path(url);
    if (strncmp(path, "/competency/", 12) && strncmp(path, "/foundational/", 14))
        return 0;
    if (!apn_ingest_is_input(path))
        return 0;
    if (apn_fetch__lang(lang, sizeof lang, url) && !lang_accepted(langs, lang))
        return 0;
    return 1;
}

/* ==== 3. HTTP ============================================================== */

typedef struct http {
    const apn_lazylib_curl *cu;
    CURL *c;
    const apn_fetch_opts *o;
    struct timespec last;    /* start of the previous request */
    int started;
    apn_buf body;
    int too_big;
    char etag[512], lastmod[128], location[4096], ctype[256];
    long retry_after;        /* seconds, from a 429/503's Retry-After; 0 when absent */
    double end;              /* CLOCK_MONOTONIC seconds of the run's deadline; 0: none */
    int deadline_hit;        /* the last http_get stopped at the deadline */
    char errbuf[CURL_ERROR_SIZE];
} http;

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    http *h = ud;
    size_t n = sz * nm;
    if ((long long)(h->body.len + n) > h->o->max_size) {
        h->too_big = 1;
        return 0;   /* aborts the transfer */
    }
    apn_buf_put(&h->body, p, n);
    return h->body.oom ? 0 : n;
}

static void header_copy(char *dst, size_t cap, const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (unsigned char)v[n - 1] <= ' ')
        n--;
    if (n >= cap)
        n = cap - 1;   /* an absurdly long value is cut, never overflows */
    memcpy(dst, v, n);
    dst[n] = 0;
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
    http *h = ud;
    size_t n = sz * nm;
    if (n >= 5 && !strncmp(p, "HTTP/", 5)) {
        /* a new response (after a 100 Continue, say): forget the previous headers */
        h->etag[0] = h->lastmod[0] = h->location[0] = h->ctype[0] = 0;
        return n;
    }
    const char *colon = memchr(p, ':', n);
    if (!colon)
        return n;
    size_t k = (size_t)(colon - p), vn = n - k - 1;
    if (k == 4 && !strncasecmp(p, "etag", 4))
        header_copy(h->etag, sizeof h->etag, colon + 1, vn);
    else if (k == 13 && !strncasecmp(p, "last-modified", 13))
        header_copy(h->lastmod, sizeof h->lastmod, colon + 1, vn);
    else if (k == 8 && !strncasecmp(p, "location", 8))
        header_copy(h->location, sizeof h->location, colon + 1, vn);
    else if (k == 12 && !strncasecmp(p, "content-type", 12))
        header_copy(h->ctype, sizeof h->ctype, colon + 1, vn);
    else if (k == 11 && !strncasecmp(p, "retry-after", 11)) {
        char v[32];
        header_copy(v, sizeof v, colon + 1, vn);
        h->retry_after = isdigit((unsigned char)v[0]) ? strtol(v, NULL, 10) : 0;   /* dates: ignored */
    }
    return n;
}

static double mono_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Milliseconds left before the deadline: LONG_MAX without one, 0 once passed. */
static long left_ms(const http *h)
{
    if (h->end <= 0)
        return LONG_MAX;
    double left = (h->end - mono_now()) * 1000.0;
    return left <= 0 ? 0 : left >= 1e15 ? LONG_MAX : (long)left + 1;
}

static long min_ms(long a, long b)
{
    return a < b ? a : b;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Waits until 1/rate seconds have passed since the previous request began. */
static void rate_wait(http *h)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (h->started) {
        double gap = 1.0 / h->o->rate;
        double since = (double)(now.tv_sec - h->last.tv_sec) +
                       (double)(now.tv_nsec - h->last.tv_nsec) / 1e9;
        if (since < gap) {
            sleep_ms(min_ms((long)((gap - since) * 1000.0) + 1, left_ms(h)));
            clock_gettime(CLOCK_MONOTONIC, &now);
        }
    }
    h->last = now;
    h->started = 1;
}

static int http_init(http *h, const apn_fetch_opts *o, const apn_lazylib_curl *cu)
{
    memset(h, 0, sizeof *h);
    h->o = o;
    h->cu = cu;
    if (o->deadline > 0)
        h->end = mono_now() + (o->deadline < 1e9 ? o->deadline : 1e9);
    if (!(h->c = cu->easy_init()))
        return APN_ERROR;
    CURL *c = h->c;
    cu->easy_setopt(c, CURLOPT_USERAGENT, "apnmap/" APN_VERSION " (APN checklist mirror)");
    cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);   /* redirects are checked by hand */
    cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    cu->easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
    cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    cu->easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
    cu->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
    cu->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    cu->easy_setopt(c, CURLOPT_WRITEDATA, h);
    cu->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    cu->easy_setopt(c, CURLOPT_HEADERDATA, h);
    cu->easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
    return 0;
}

static void http_dispose(http *h)
{
    if (h->c)
        h->cu->easy_cleanup(h->c);
    apn_buf_dispose(&h->body);
}

static int transient(CURLcode cc, long status)
{
    if (cc == CURLE_OK)
        return status >= 500 || status == 429;
    return cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_COULDNT_CONNECT ||
           cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING ||
           cc == CURLE_PARTIAL_FILE;
}

/* One GET (conditional when etag or lastmod is non-empty), retried with
 * exponential backoff on timeouts, network errors, 5xx and 429. The body and
 * headers of the last attempt stay in h; *status is 0 on a transport error.
 * No attempt, wait or transfer outlasts the run's deadline: when it cuts one,
 * h->deadline_hit is set and the result is CURLE_OPERATION_TIMEDOUT. */
static CURLcode http_get(http *h, const char *url, const char *etag, const char *lastmod,
                         long *status, int *attempts)
{
    struct curl_slist *hdr = NULL, *t;
    char line[700];
    CURLcode cc = CURLE_OK;
    if (etag && *etag) {
        snprintf(line, sizeof line, "If-None-Match: %s", etag);
        if (!(t = h->cu->slist_append(hdr, line)))
            goto oom;
        hdr = t;
    }
    if (lastmod && *lastmod) {
        snprintf(line, sizeof line, "If-Modified-Since: %s", lastmod);
        if (!(t = h->cu->slist_append(hdr, line)))
            goto oom;
        hdr = t;
    }
    h->cu->easy_setopt(h->c, CURLOPT_URL, url);
    h->cu->easy_setopt(h->c, CURLOPT_HTTPHEADER, hdr);
    h->deadline_hit = 0;
    *status = 0;
    *attempts = 0;
    for (int attempt = 0;; attempt++) {
        long left = left_ms(h);
        if (left == 0) {
            h->deadline_hit = 1;
            cc = CURLE_OPERATION_TIMEDOUT;
            break;
        }
        h->cu->easy_setopt(h->c, CURLOPT_TIMEOUT_MS, min_ms(h->o->timeout_ms, left));
        h->cu->easy_setopt(h->c, CURLOPT_CONNECTTIMEOUT_MS, min_ms(h->o->connect_timeout_ms, left));
        apn_buf_clear(&h->body);
        h->too_big = 0;
        h->errbuf[0] = 0;
        h->etag[0] = h->lastmod[0] = h->location[0] = h->ctype[0] = 0;
        h->retry_after = 0;
        rate_wait(h);
        cc = h->cu->easy_perform(h->c);
        *status = 0;
        if (cc == CURLE_OK)
            h->cu->easy_getinfo(h->c, CURLINFO_RESPONSE_CODE, status);
        *attempts = attempt + 1;
        if (cc == CURLE_OPERATION_TIMEDOUT && left_ms(h) == 0) {
            h->deadline_hit = 1;
            break;
        }
        if (!transient(cc, *status) || attempt >= h->o->retries)
            break;
        long delay = h->o->backoff_ms;
        for (int k = 0; k < attempt && delay < 60000; k++)
            delay *= 2;
        if (h->retry_after > 0) {
            /* the server may ask for longer (60 s at most) */
            long ra = (h->retry_after > 60 ? 60 : h->retry_after) * 1000;
            delay = ra > delay ? ra : delay;
        }
        sleep_ms(min_ms(delay < 60000 ? delay : 60000, left_ms(h)));
    }
    h->cu->easy_setopt(h->c, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    h->cu->slist_free_all(hdr);
    return cc;
oom:
    h->cu->slist_free_all(hdr);
    return CURLE_OUT_OF_MEMORY;
}

/* ==== 4. the crawl ========================================================= */

/* A set of owned URL strings (open addressing), also the queue's storage. */
typedef struct urlset {
    char **slot;
    size_t cap, n;
} urlset;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Adds a copy of s; *out is the stored string. Returns 1 added, 0 present, or APN_ENOMEM. */
static int set_add(urlset *u, const char *s, const char **out)
{
    if ((u->n + 1) * 2 > u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 64;
        char **slot = apn_calloc(cap, sizeof *slot);
        if (!slot)
            return APN_ENOMEM;
        for (size_t i = 0; i < u->cap; i++)
            if (u->slot[i]) {
                size_t j = fnv1a(u->slot[i]) & (cap - 1);
                while (slot[j])
                    j = (j + 1) & (cap - 1);
                slot[j] = u->slot[i];
            }
        apn_free(u->slot);
        u->slot = slot;
        u->cap = cap;
    }
    size_t j = fnv1a(s) & (u->cap - 1);
    while (u->slot[j]) {
        if (!strcmp(u->slot[j], s)) {
            *out = u->slot[j];
            return 0;
        }
        j = (j + 1) & (u->cap - 1);
    }
    if (!(u->slot[j] = apn_strdup(s)))
        return APN_ENOMEM;
    u->n++;
    *out = u->slot[j];
    return 1;
}

static int set_has(const urlset *u, const char *s)
{
    if (!u->cap)
        return 0;
    for (size_t j = fnv1a(s) & (u->cap - 1); u->slot[j]; j = (j + 1) & (u->cap - 1))
        if (!strcmp(u->slot[j], s))
            return 1;
    return 0;
}

static void set_dispose(urlset *u)
{
    for (size_t i = 0; i < u->cap; i++)
        apn_free(u->slot[i]);
    apn_free(u->slot);
}

typedef struct crawl {
    const apn_fetch_opts *o;
    apn_fetch_stats *st;
    apn_diags *d;
    http h;
    apn_manifest m;
    urlset seen;
    const char **queue;      /* borrowed from seen, in discovery order */
    size_t nq, capq, head;
    size_t nstart;           /* the first nstart queued are the start URLs */
    size_t requests;
    apn_buf disk;            /* the manifest text as the file holds it now */
    int on_disk;             /* the manifest file exists */
} crawl;

static int enqueue(crawl *c, const char *url)
{
    const char *s;
    int r = set_add(&c->seen, url, &s);
    if (r <= 0)
        return r;
    if (apn_grow(&c->queue, &c->capq, c->nq + 1, sizeof *c->queue) < 0)
        return APN_ENOMEM;
    c->queue[c->nq++] = s;
    return 0;
}

static void progress(crawl *c, apn_fetch_event ev, const char *url, const char *path, long long bytes)
{
    if (!c->o->progress)
        return;
    apn_fetch_progress p = { ev, url, path ? path : "", c->head, c->nq, bytes };
    c->o->progress(c->o->progress_ud, &p);
}

/* mkdir -p of every parent folder of the file at full. */
static int make_parents(const char *full)
{
    char *p = apn_strdup(full);
    int err = 0;
    if (!p)
        return APN_ENOMEM;
    for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            err = APN_EIO;
        *s = '/';
        if (err)
            break;
    }
    apn_free(p);
    return err;
}

/* Writes data to full (its folders made first) through apn_io_write_atomic:
 * the old file stays until the new one is whole, and a link at full is
 * replaced, never written through. errno says why on failure. */
static int write_file(const char *full, const char *data, size_t len)
{
    int err = make_parents(full);
    return err < 0 ? err : apn_io_write_atomic(full, data, len);
}

static void utc_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int is_page(const char *path, const char *ctype)
{
    return apn_ingest_name_format(path) == APN_DOC_HTML || !strncasecmp(ctype, "text/html", 9);
}

static int fail(crawl *c, const char *url, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(crawl *c, const char *url, const char *fmt, ...)
{
    va_list ap;
    c->st->failed++;
    progress(c, APN_FETCH_FAILED, url, NULL, 0);
    va_start(ap, fmt);
    int err = apn_diags_vadd(c->d, APN_SEV_ERROR, url, "", fmt, ap);
    va_end(ap);
    return err;
}

/* Links read from one page at most; a page holding more is warned about. */
#define MAX_LINKS_PER_PAGE 100000

/* Queues the links of a page that the follow rule accepts, while the queue
 * holds fewer than max_files URLs; the others are counted, never kept, so
 * memory stays bounded however many links the pages hold. */
static int queue_links(crawl *c, const char *page_url, const char *data, size_t len)
{
    char **links = NULL, origin[512];
    size_t n = 0, more = 0;
    int err;
    if (apn_fetch__origin(origin, sizeof origin, page_url) < 0)
        return 0;
    if ((err = apn_fetch__links(&links, &n, &more, data, len, page_url, MAX_LINKS_PER_PAGE)) < 0)
        return err;
    if (more && apn_diags_add(c->d, APN_SEV_WARNING, page_url, "", "%zu links more than the "
                              "%d read from one page: not followed", more, MAX_LINKS_PER_PAGE) < 0)
        err = APN_ENOMEM;
    c->st->skipped += more;
    for (size_t i = 0; i < n && err >= 0; i++) {
        if (!apn_fetch__follow(links[i], origin, c->o->langs))
            c->st->skipped++;
        else if (c->nq < c->o->max_files)
            err = enqueue(c, links[i]);
        else if (!set_has(&c->seen, links[i]))
            c->st->dropped++;
    }
    apn_fetch__links_free(links, n);
    return err;
}

/* The target of cur's redirect into *next when it may be followed: the same
 * origin and, for a link (from_link), the follow rule too. Returns 0, 1 after
 * failing url with the reason (*next NULL), or APN_ENOMEM. */
static int redirect_target(crawl *c, const char *url, const char *cur, char **next, int from_link)
{
    char origin[512], origin2[512];
    if (apn_fetch__resolve(next, cur, c->h.location) < 0 ||
        apn_fetch__origin(origin, sizeof origin, cur) < 0 ||
        apn_fetch__origin(origin2, sizeof origin2, *next) < 0 || strcmp(origin, origin2)) {
        apn_free(*next);
        *next = NULL;
        return fail(c, url, "redirect to %s not followed (another host or scheme)",
                    c->h.location) < 0 ? APN_ENOMEM : 1;
    }
    /* a link's redirect must lead where a link may: the follow rule again */
    if (from_link && !apn_fetch__follow(*next, origin, c->o->langs)) {
        int e = fail(c, url, "redirect to %s not followed (not a checklist page or workbook)", *next);
        apn_free(*next);
        *next = NULL;
        return e < 0 ? APN_ENOMEM : 1;
    }
    return 0;
}

/* Fetches one queued URL (from_link: found on a page, not a start URL).
 * Returns 0, 1 when the deadline cut it (nothing written, no failure counted),
 * or APN_ENOMEM / APN_EIO. */
static int fetch_one(crawl *c, const char *url, int from_link)
{
    char *cur = NULL, *path = NULL, *full = NULL, *local = NULL, *next = NULL;
    size_t local_len = 0;
    char local_sha[65] = "", sha[65], now[32];
    const char *etag = NULL, *lastmod = NULL;
    long status = 0;
    int err = 0, hops = 0, attempts = 0;
    CURLcode cc;

    progress(c, APN_FETCH_START, url, NULL, 0);
    if (!(cur = apn_strdup(url)))
        return APN_ENOMEM;
    for (;;) {
        apn_free(path);
        apn_free(full);
        apn_free(local);
        path = full = local = NULL;
        local_sha[0] = 0;
        etag = lastmod = NULL;
        int pe = apn_fetch__mirror_path(&path, cur);
        if (pe == APN_ENOMEM) {
            err = pe;
            goto cleanup;
        }
        if (pe < 0 || apn_ingest_is_side_file(path)) {
            /* a side file (aliases.csv, ...) would be trusted by build: never written */
            int moved = strcmp(cur, url) != 0;
            err = fail(c, url, "cannot be mirrored: unsafe path%s%s%s",
                       pe < 0 ? "" : " (its name is a file build reads beside the inputs, written "
                                     "only by apnmap or you)",
                       moved ? ", redirected to " : "", moved ? cur : "") < 0 ? APN_ENOMEM : 0;
            goto cleanup;
        }
        size_t fl = strlen(c->o->dir) + strlen(path) + 2;
        if (!(full = apn_malloc(fl))) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        snprintf(full, fl, "%s/%s", c->o->dir, path);
        if (apn_io_read_file(&local, &local_len, full, (size_t)c->o->max_size) == 0)
            apn_sha256_hex(local_sha, local, local_len);
        apn_manifest_entry *e = apn_manifest_find(&c->m, path);
        /* conditional only when the copy on disk is the one the manifest describes */
        if (e && local && !strcmp(e->f[APN_MF_URL], cur) && !strcmp(e->f[APN_MF_SHA256], local_sha)) {
            etag = e->f[APN_MF_ETAG];
            lastmod = e->f[APN_MF_LASTMOD];
        }
        c->requests++;
        cc = http_get(&c->h, cur, etag, lastmod, &status, &attempts);
        if (cc == CURLE_OUT_OF_MEMORY || c->h.body.oom) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        if (c->h.deadline_hit) {
            err = 1;
            goto cleanup;
        }
        if (cc != CURLE_OK || status < 300 || status > 399 || status == 304 || !c->h.location[0])
            break;
        if (++hops > c->o->max_redirects) {
            err = fail(c, url, "too many redirects (more than %d)", c->o->max_redirects) < 0 ? APN_ENOMEM : 0;
            goto cleanup;
        }
        if ((err = redirect_target(c, url, cur, &next, from_link)) != 0) {
            err = err == 1 ? 0 : err;
            goto cleanup;
        }
        const char *s;
        if ((err = set_add(&c->seen, next, &s)) < 0)
            goto cleanup;
        err = 0;
        apn_free(cur);
        cur = next;
        next = NULL;
    }
    if (cc != CURLE_OK) {
        char what[400];
        if (c->h.too_big || cc == CURLE_FILESIZE_EXCEEDED)
            snprintf(what, sizeof what, "larger than the size limit (%lld bytes)", c->o->max_size);
        else
            snprintf(what, sizeof what, "%s", c->h.errbuf[0] ? c->h.errbuf : c->h.cu->easy_strerror(cc));
        if (attempts > 1)
            err = fail(c, url, "%s (%d attempts)", what, attempts) < 0 ? APN_ENOMEM : 0;
        else
            err = fail(c, url, "%s", what) < 0 ? APN_ENOMEM : 0;
        goto cleanup;
    }
    const char *data;
    size_t len;
    if (status == 304 && local) {
        data = local;
        len = local_len;
        c->st->unchanged++;
        progress(c, APN_FETCH_UNCHANGED, cur, path, (long long)len);
    } else if (status == 200) {
        data = c->h.body.ptr ? c->h.body.ptr : "";
        len = c->h.body.len;
        apn_sha256_hex(sha, data, len);
        apn_manifest_entry *e = apn_manifest_find(&c->m, path);
        int same = local && !strcmp(sha, local_sha);
        char note[4200] = "";
        if (strcmp(cur, url))
            snprintf(note, sizeof note, "redirected from %s", url);
        if (!same && (err = write_file(full, data, len)) < 0) {
            /* e.g. a file where a folder must go: this URL fails, the crawl goes on */
            if (err == APN_ENOMEM)
                goto cleanup;
            err = fail(c, url, "cannot write %s: %s", full, strerror(errno)) < 0 ? APN_ENOMEM : 0;
            goto cleanup;
        }
        utc_now(now);
        const char *vals[APN_MF_NCOLS] = {
            path, cur, c->h.etag, c->h.lastmod, sha,
            same && e && !strcmp(e->f[APN_MF_SHA256], sha) ? e->f[APN_MF_FETCHED] : now,
            "complete", note
        };
        if ((err = apn_manifest_set(&c->m, vals)) < 0)
            goto cleanup;
        if (same)
            c->st->unchanged++;
        else
            c->st->saved++;
        progress(c, same ? APN_FETCH_UNCHANGED : APN_FETCH_SAVED, cur, path, (long long)len);
    } else {
        const char *why = status == 403 ? " (missing key or access denied)"
                        : status == 404 ? " (not found)"
                        : status == 304 ? " (not modified, but no local copy)"
                        : "";
        if (attempts > 1)
            err = fail(c, url, "HTTP %ld%s (%d attempts)", status, why, attempts) < 0 ? APN_ENOMEM : 0;
        else
            err = fail(c, url, "HTTP %ld%s", status, why) < 0 ? APN_ENOMEM : 0;
        goto cleanup;
    }
    if (is_page(path, c->h.ctype))
        err = queue_links(c, cur, data, len);
cleanup:
    apn_free(cur);
    apn_free(next);
    apn_free(path);
    apn_free(full);
    apn_free(local);
    return err;
}

/* Writes the manifest when its text differs from what the file holds, so an
 * unchanged mirror is never touched. Also called every few saved files, so an
 * interrupted run still leaves a manifest describing what it wrote. */
static int save_manifest(crawl *c, const char *mpath)
{
    apn_buf out = APN_BUF_INIT;
    int err = 0;
    apn_manifest_write(&out, &c->m);
    if (out.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (c->on_disk && c->disk.len == out.len && !memcmp(apn_buf_cstr(&c->disk), out.ptr, out.len))
        goto cleanup;
    if ((err = write_file(mpath, out.ptr, out.len)) < 0) {
        apn_diags_add(c->d, APN_SEV_ERROR, mpath, "", "cannot write the manifest: %s",
                      strerror(errno));
        goto cleanup;
    }
    c->on_disk = 1;
    apn_buf_clear(&c->disk);
    apn_buf_put(&c->disk, out.ptr, out.len);
    if (c->disk.oom)
        err = APN_ENOMEM;
cleanup:
    apn_buf_dispose(&out);
    return err;
}

static int mkdir_p(const char *dir)
{
    char *p = NULL;
    int err = 0;
    size_t n = strlen(dir);
    if (!(p = apn_malloc(n + 3)))
        return APN_ENOMEM;
    snprintf(p, n + 3, "%s/x", dir);
    err = make_parents(p);
    apn_free(p);
    return err;
}

int apn_fetch(apn_fetch_stats *stats, const apn_fetch_opts *o, apn_diags *d)
{
    crawl c;
    char *mpath = NULL, *old = NULL;
    size_t old_len = 0;
    int err = 0, curl_up = 0;
    const apn_lazylib_curl *cu = NULL;
    const char *why;

    memset(&c, 0, sizeof c);
    memset(stats, 0, sizeof *stats);
    c.o = o;
    c.st = stats;
    c.d = d;
    if (!o->dir || !*o->dir || !(o->rate > 0) || o->retries < 0 || o->backoff_ms < 0 ||
        o->timeout_ms <= 0 || o->connect_timeout_ms <= 0 || o->max_size <= 0 ||
        o->max_redirects < 0 || o->max_files == 0 || o->deadline != o->deadline)
        return APN_EUSAGE;
    if ((err = mkdir_p(o->dir)) < 0) {
        apn_diags_add(d, APN_SEV_ERROR, o->dir, "", "cannot create the folder: %s", strerror(errno));
        return err;
    }
    size_t ml = strlen(o->dir) + 16;
    if (!(mpath = apn_malloc(ml)))
        return APN_ENOMEM;
    snprintf(mpath, ml, "%s/" APN_MANIFEST_FILE, o->dir);
    err = apn_io_read_file(&old, &old_len, mpath, 64u << 20);
    if (err == 0) {
        c.on_disk = 1;
        apn_buf_put(&c.disk, old, old_len);
        if ((err = apn_manifest_parse(&c.m, old, old_len)) == APN_EPARSE) {
            apn_diags_add(d, APN_SEV_WARNING, mpath, "", "not a manifest (no path column or an "
                          "open quote): every file is fetched again");
            apn_manifest_dispose(&c.m);
            err = 0;
        }
        if (err < 0)
            goto cleanup;
    }
    err = 0;
    /* start list */
    const char *const *urls = o->urls && o->nurls ? o->urls : default_urls;
    size_t nurls = o->urls && o->nurls ? o->nurls : sizeof default_urls / sizeof *default_urls - 1;
    for (size_t i = 0; i < nurls; i++) {
        char *u = NULL, lang[16];
        int e = apn_fetch__resolve(&u, urls[i], urls[i]);
        if (e == APN_ENOMEM) {
            err = e;
            goto cleanup;
        }
        if (e < 0) {
            apn_diags_add(d, APN_SEV_ERROR, urls[i], "", "not an http or https URL");
            err = APN_EUSAGE;
            goto cleanup;
        }
        if (urls == default_urls && apn_fetch__lang(lang, sizeof lang, u) &&
            !lang_accepted(o->langs, lang)) {
            apn_free(u);
            continue;
        }
        e = enqueue(&c, u);
        apn_free(u);
        if (e < 0) {
            err = e;
            goto cleanup;
        }
    }
    c.nstart = c.nq;
    if (apn_lazylib_curl_load(&cu, &why) < 0) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", "%s", why);
        err = APN_ERROR;
        goto cleanup;
    }
    if (cu->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        err = APN_ERROR;
        goto cleanup;
    }
    curl_up = 1;
    if ((err = http_init(&c.h, o, cu)) < 0)
        goto cleanup;
    while (c.head < c.nq) {
        if (c.requests >= o->max_files) {
            apn_diags_add(d, APN_SEV_WARNING, "", "", "stopped after %zu files (--max-files); "
                          "%zu URLs not fetched", o->max_files, c.nq - c.head);
            break;
        }
        const char *url = c.queue[c.head];
        size_t saved = stats->saved;
        if (left_ms(&c.h) == 0 || (err = fetch_one(&c, url, c.head >= c.nstart)) == 1) {
            stats->unfetched = c.nq - c.head;
            apn_diags_add(d, APN_SEV_ERROR, "", "", "stopped at the deadline (--deadline %g s): "
                          "%zu URL%s not fetched", o->deadline, stats->unfetched,
                          stats->unfetched == 1 ? "" : "s");
            err = 0;
            break;
        }
        c.head++;
        if (err < 0)
            goto cleanup;
        if (stats->saved != saved && stats->saved % 25 == 0 && (err = save_manifest(&c, mpath)) < 0)
            goto cleanup;
    }
    if (stats->dropped)
        apn_diags_add(d, APN_SEV_WARNING, "", "", "the queue reached %zu URLs (--max-files): "
                      "%zu more links to follow were not queued", o->max_files, stats->dropped);
    err = save_manifest(&c, mpath);
cleanup:
    http_dispose(&c.h);
    if (curl_up)
        cu->global_cleanup();
    apn_manifest_dispose(&c.m);
    set_dispose(&c.seen);
    apn_free(c.queue);
    apn_free(mpath);
    apn_free(old);
    apn_buf_dispose(&c.disk);
    return err;
}
