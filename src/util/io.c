/* io — bounded whole-file reads, staged atomic writes, both with fault
 * injection, and SHA-256. See io.h. */
#include "util/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <apnmap/common.h>

#include "util/alloc.h"

static atomic_long io_countdown;

void apn_io_fail_after(long n) { atomic_store(&io_countdown, n); }

static int io_should_fail(void)
{
    if (atomic_load(&io_countdown) <= 0)
        return 0;
    return atomic_fetch_sub(&io_countdown, 1) == 1;
}

int apn_io_read_file(char **out, size_t *len, const char *path, size_t max)
{
    int err = 0;
    char *buf = NULL;
    FILE *f = NULL;
    struct stat st;

    *out = NULL;
    *len = 0;
    if (io_should_fail())
        return APN_EIO;
    if (!(f = fopen(path, "rb")) || fstat(fileno(f), &st) != 0) {
        err = errno == ENOENT ? APN_ENOTFOUND : APN_EIO;
        goto cleanup;
    }
    if ((uint64_t)st.st_size > max) {
        err = APN_ELIMIT;
        goto cleanup;
    }
    size_t n = (size_t)st.st_size;
    if (!(buf = apn_malloc(n + 1))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (fread(buf, 1, n, f) != n || ferror(f)) {
        err = APN_EIO;
        goto cleanup;
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    buf = NULL;
cleanup:
    if (f)
        fclose(f);
    apn_free(buf);
    return err;
}

/* ---- staged writes ------------------------------------------------------ */

static atomic_long write_countdown;

void apn_io_write_fail_after(long n) { atomic_store(&write_countdown, n); }

/* 1 (errno = ENOSPC) when the fault hook says this write step fails */
static int write_should_fail(void)
{
    if (atomic_load(&write_countdown) <= 0 || atomic_fetch_sub(&write_countdown, 1) != 1)
        return 0;
    errno = ENOSPC;
    return 1;
}

struct apn_io_stage {
    char *dir;          /* the destination folder */
    char *tmp;          /* the private folder inside it; NULL once removed */
    char **names;       /* staged file names, owned */
    size_t n, cap;
    char *path;         /* scratch: tmp or dir + "/" + a name */
    const char *failed; /* borrowed from names, or "" */
};

/* dir + "/" + name into s->path; NULL when out of memory */
static const char *join(apn_io_stage *s, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = apn_realloc(s->path, a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return s->path = p;
}

int apn_io_stage_open(apn_io_stage **out, const char *dir)
{
    static const char tail[] = "/.apnmap.tmp-XXXXXX";
    apn_io_stage *s = apn_calloc(1, sizeof *s);
    size_t n = strlen(dir);
    *out = NULL;
    if (!s || !(s->dir = apn_strdup(dir)) || !(s->tmp = apn_malloc(n + sizeof tail))) {
        apn_io_stage_free(s);
        return APN_ENOMEM;
    }
    s->failed = "";
    memcpy(s->tmp, dir, n);
    memcpy(s->tmp + n, tail, sizeof tail);
    if (write_should_fail() || !mkdtemp(s->tmp)) {
        int saved = errno;
        apn_free(s->tmp);
        s->tmp = NULL;
        apn_io_stage_free(s);
        errno = saved;
        return APN_EIO;
    }
    *out = s;
    return 0;
}

/* Registers name (checked: a plain file name). 0; 1 when it is staged
 * already; APN_EUSAGE, APN_ENOMEM. */
static int stage_add(apn_io_stage *s, const char *name)
{
    if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
        return APN_EUSAGE;
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->names[i], name))
            return 1;
    if (apn_grow(&s->names, &s->cap, s->n + 1, sizeof *s->names) < 0 ||
        !(s->names[s->n] = apn_strdup(name)))
        return APN_ENOMEM;
    s->n++;
    return 0;
}

int apn_io_stage_fopen(FILE **out, apn_io_stage *s, const char *name)
{
    int err, fd;
    *out = NULL;
    if ((err = stage_add(s, name)) != 0)
        return err < 0 ? err : APN_EUSAGE;
    const char *p = join(s, s->tmp, name);
    if (!p)
        return APN_ENOMEM;
    s->failed = s->names[s->n - 1];
    /* O_EXCL | O_NOFOLLOW: a fresh file, never one planted in its place */
    if (write_should_fail() ||
        (fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0)
        return APN_EIO;
    if (!(*out = fdopen(fd, "wb"))) {
        int saved = errno;
        close(fd);
        errno = saved;
        return saved == ENOMEM ? APN_ENOMEM : APN_EIO;
    }
    s->failed = "";
    return 0;
}

int apn_io_stage_fclose(apn_io_stage *s, FILE *f)
{
    int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0, saved = errno;
    if (!bad && write_should_fail()) {
        bad = 1;
        saved = errno;
    }
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    (void)s;   /* the stage keeps nothing per open file */
    errno = saved;
    return bad ? APN_EIO : 0;
}

const char *apn_io_stage_path(apn_io_stage *s, const char *name)
{
    if (stage_add(s, name) < 0)
        return NULL;
    return join(s, s->tmp, name);
}

void apn_io_stage_forget(apn_io_stage *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->names[i], name)) {
            const char *p = join(s, s->tmp, name);
            if (p)
                unlink(p);
            apn_free(s->names[i]);
            memmove(s->names + i, s->names + i + 1, (s->n - i - 1) * sizeof *s->names);
            s->n--;
            return;
        }
}

static int fsync_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd), saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int apn_io_stage_commit(apn_io_stage *s)
{
    struct stat st;
    const char *p;
    /* everything checked before the first rename: a failure leaves dir as it was */
    if (write_should_fail())
        return APN_EIO;
    for (size_t i = 0; i < s->n; i++) {
        s->failed = s->names[i];
        if (!(p = join(s, s->tmp, s->names[i])))
            return APN_ENOMEM;
        if (lstat(p, &st) != 0)
            return APN_EIO;
        if (!S_ISREG(st.st_mode)) {
            errno = EINVAL;
            return APN_EIO;
        }
        if (fsync_file(p) != 0)   /* written by another program: not synced yet */
            return APN_EIO;
        if (!(p = join(s, s->dir, s->names[i])))
            return APN_ENOMEM;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return APN_EIO;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        s->failed = s->names[i];
        char *from = NULL;
        if (!(p = join(s, s->tmp, s->names[i])) || !(from = apn_strdup(p)) ||
            !(p = join(s, s->dir, s->names[i]))) {
            apn_free(from);
            return APN_ENOMEM;
        }
        /* rename replaces a link at the destination; it never follows it */
        int rc = rename(from, p), saved = errno;
        apn_free(from);
        if (rc != 0) {
            errno = saved;
            return APN_EIO;
        }
    }
    s->failed = "";
    int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);   /* the renames themselves made durable; best effort */
        close(fd);
    }
    if (rmdir(s->tmp) == 0) {
        apn_free(s->tmp);
        s->tmp = NULL;
    }
    return 0;
}

const char *apn_io_stage_failed(const apn_io_stage *s) { return s && s->failed ? s->failed : ""; }
size_t apn_io_stage_count(const apn_io_stage *s) { return s ? s->n : 0; }
const char *apn_io_stage_name(const apn_io_stage *s, size_t i) { return s && i < s->n ? s->names[i] : NULL; }

void apn_io_stage_free(apn_io_stage *s)
{
    if (!s)
        return;
    int saved = errno;
    if (s->tmp) {
        /* the folder is the stage's own: whatever is in it goes */
        DIR *d = opendir(s->tmp);
        struct dirent *e;
        while (d && (e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                const char *p = join(s, s->tmp, e->d_name);
                if (p)
                    unlink(p);
            }
        if (d)
            closedir(d);
        rmdir(s->tmp);
    }
    for (size_t i = 0; i < s->n; i++)
        apn_free(s->names[i]);
    apn_free(s->names);
    apn_free(s->tmp);
    apn_free(s->dir);
    apn_free(s->path);
    apn_free(s);
    errno = saved;
}

int apn_io_write_atomic(const char *path, const void *data, size_t len)
{
    apn_io_stage *s = NULL;
    FILE *f = NULL;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? apn_strndup(path, (size_t)(slash - path)) : apn_strdup(".");
    const char *base = slash ? slash + 1 : path;
    int err;
    if (!dir)
        return APN_ENOMEM;
    if ((err = apn_io_stage_open(&s, *dir ? dir : "/")) < 0 ||
        (err = apn_io_stage_fopen(&f, s, base)) < 0)
        goto cleanup;
    if (len && fwrite(data, 1, len, f) != len)
        err = APN_EIO;
    int e = apn_io_stage_fclose(s, f);
    if (!err)
        err = e;
    if (!err)
        err = apn_io_stage_commit(s);
cleanup:
    apn_io_stage_free(s);
    apn_free(dir);
    return err;
}

/* ---- temporary files a killed process leaves ----------------------------- */

int apn_io_temp_locked(int *fd, char *templ)
{
    size_t n = strlen(templ);
    char *orig = apn_strdup(templ);
    int err = APN_EIO;
    *fd = -1;
    if (!orig)
        return APN_ENOMEM;
    for (int attempt = 0; attempt < 8; attempt++) {
        struct stat a, b;
        memcpy(templ, orig, n + 1);
        int f = mkstemp(templ);
        if (f < 0)
            break;
        /* a cleaner may have taken the name between mkstemp and flock: then
         * the name no longer is this file, and another is made */
        if (flock(f, LOCK_EX | LOCK_NB) == 0 && fstat(f, &a) == 0 && stat(templ, &b) == 0 &&
            a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
            *fd = f;
            err = 0;
            break;
        }
        close(f);
    }
    int saved = errno;
    apn_free(orig);
    errno = saved;
    return err;
}

/* name is BASE.KIND-XXXXXX for one of kinds, XXXXXX as mkstemp makes them */
static int stale_name(const char *name, const char *base, const char *const *kinds)
{
    size_t nb = strlen(base);
    if (strncmp(name, base, nb) || name[nb] != '.')
        return 0;
    name += nb + 1;
    for (size_t k = 0; kinds[k]; k++) {
        size_t nk = strlen(kinds[k]);
        if (strncmp(name, kinds[k], nk) || name[nk] != '-' || strlen(name + nk + 1) != 6)
            continue;
        const char *x = name + nk + 1;
        int ok = 1;
        for (int i = 0; i < 6; i++)
            ok &= (x[i] >= 'a' && x[i] <= 'z') || (x[i] >= 'A' && x[i] <= 'Z') || (x[i] >= '0' && x[i] <= '9');
        if (ok)
            return 1;
    }
    return 0;
}

int apn_io_remove_stale(apn_diags *d, const char *path, const char *const *kinds)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? apn_strndup(path, (size_t)(slash - path)) : apn_strdup(".");
    const char *base = slash ? slash + 1 : path;
    int removed = 0;
    if (!dir)
        return APN_ENOMEM;
    DIR *dp = opendir(*dir ? dir : "/");
    struct dirent *e;
    while (dp && *base && (e = readdir(dp))) {
        if (!stale_name(e->d_name, base, kinds))
            continue;
        int fd = openat(dirfd(dp), e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        struct stat a, b;
        if (fd < 0)
            continue;
        /* a live writer holds its lock: only an orphan is taken */
        if (fstat(fd, &a) == 0 && S_ISREG(a.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(dirfd(dp), e->d_name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino && unlinkat(dirfd(dp), e->d_name, 0) == 0) {
            removed++;
            if (apn_diags_add(d, APN_SEV_NOTE, path, "",
                              "removed %s, left by a run that was stopped before it finished",
                              e->d_name) < 0) {
                close(fd);
                removed = APN_ENOMEM;
                break;
            }
        }
        close(fd);
    }
    if (dp)
        closedir(dp);
    apn_free(dir);
    return removed;
}

/* ---- SHA-256 (FIPS 180-4) ------------------------------------------------ */

/* The portable digest below only runs when libcrypto cannot (out of memory,
 * no provider): apn_sha256_hex has no error return, and a wrong digest would
 * silently merge or split documents. */

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

void apn_io__sha256_portable_hex(char hex[65], const void *data, size_t len)
{
    uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    const unsigned char *p = data;
    size_t n = len;
    for (; n >= 64; n -= 64, p += 64)
        block(h, p);
    unsigned char tail[128] = { 0 };
    memcpy(tail, p, n);
    tail[n] = 0x80;
    size_t tn = n + 1 + 8 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tn - 1 - i] = (unsigned char)(bits >> (8 * i));
    block(h, tail);
    if (tn == 128)
        block(h, tail + 64);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", h[i]);
}

void apn_sha256_hex(char hex[65], const void *data, size_t len)
{
    /* libcrypto uses the CPU's SHA extensions where present: several times
     * faster than the portable rounds, which cost ~8% of a build. */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    static const char digits[] = "0123456789abcdef";
    if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        apn_io__sha256_portable_hex(hex, data, len);
        return;
    }
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}
