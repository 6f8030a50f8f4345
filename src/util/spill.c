/* spill — records of a few strings in a temporary file. See spill.h.
 *
 * A record is its fields one after the other, each a 4-byte length (all ones
 * for NULL), the bytes and a NUL, so a field read back is a C string in place.
 * In memory: each block's file offset and first record, each record's offset
 * within its block, a write buffer, and a few whole blocks read back.
 */
#include "util/spill.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apnmap/common.h>

#include "util/alloc.h"

#define MAX_FIELDS 8
#define WRITE_CAP (256u << 10)
#define SLOTS 4
#define SLOT_CAP (256u << 10)   /* larger blocks are read record by record */
#define NO_STRING UINT32_MAX

typedef struct slot {
    size_t block;
    unsigned used;              /* clock of the last use; 0: empty */
    char *buf;
    size_t cap;
} slot;

struct apn_spill {
    int fd;
    size_t nfields;
    uint64_t size;              /* bytes written, pending ones included */
    char *wbuf;
    size_t wlen;
    uint64_t *block_off;        /* per block: where it starts in the file */
    size_t *block_first;        /* per block: its first record */
    size_t nblocks, capoff, capfirst;
    uint32_t *rec_off;          /* per record: where it starts in its block */
    size_t nrecs, caprecs;
    slot slots[SLOTS];
    unsigned clock;
    char *one;                  /* a record read on its own */
    size_t capone;
};

int apn_spill_open(apn_spill **out, const char *near_path, size_t nfields)
{
    apn_spill *s;
    size_t n = strlen(near_path) + 16;
    char *path;
    *out = NULL;
    if (nfields == 0 || nfields > MAX_FIELDS)
        return APN_EUSAGE;
    if (!(s = apn_calloc(1, sizeof *s)))
        return APN_ENOMEM;
    s->fd = -1;
    s->nfields = nfields;
    if (!(path = apn_malloc(n)) || !(s->wbuf = apn_malloc(WRITE_CAP))) {
        apn_free(path);
        apn_spill_free(s);
        return APN_ENOMEM;
    }
    snprintf(path, n, "%s.words-XXXXXX", near_path);
    s->fd = mkstemp(path);
    if (s->fd >= 0)
        unlink(path);   /* gone from the folder now; the space is freed at close */
    apn_free(path);
    if (s->fd < 0) {
        int e = errno;
        apn_spill_free(s);
        errno = e;
        return APN_EIO;
    }
    *out = s;
    return 0;
}

static int flush(apn_spill *s)
{
    size_t done = 0;
    while (done < s->wlen) {
        ssize_t k = write(s->fd, s->wbuf + done, s->wlen - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return APN_EIO;
        done += (size_t)k;
    }
    s->wlen = 0;
    return 0;
}

static int put(apn_spill *s, const void *p, size_t n)
{
    while (n) {
        size_t k = WRITE_CAP - s->wlen < n ? WRITE_CAP - s->wlen : n;
        memcpy(s->wbuf + s->wlen, p, k);
        s->wlen += k, s->size += k, n -= k;
        p = (const char *)p + k;
        if (s->wlen == WRITE_CAP && flush(s) < 0)
            return APN_EIO;
    }
    return 0;
}

int apn_spill_block(apn_spill *s)
{
    if (apn_grow(&s->block_off, &s->capoff, s->nblocks + 1, sizeof *s->block_off) < 0 ||
        apn_grow(&s->block_first, &s->capfirst, s->nblocks + 1, sizeof *s->block_first) < 0)
        return APN_ENOMEM;
    s->block_off[s->nblocks] = s->size;
    s->block_first[s->nblocks] = s->nrecs;
    s->nblocks++;
    return 0;
}

int apn_spill_add(apn_spill *s, const char *const *fields)
{
    if (!s->nblocks && apn_spill_block(s) < 0)
        return APN_ENOMEM;
    uint64_t rel = s->size - s->block_off[s->nblocks - 1];
    if (rel > UINT32_MAX - 1)
        return APN_ELIMIT;
    if (apn_grow(&s->rec_off, &s->caprecs, s->nrecs + 1, sizeof *s->rec_off) < 0)
        return APN_ENOMEM;
    s->rec_off[s->nrecs++] = (uint32_t)rel;
    for (size_t i = 0; i < s->nfields; i++) {
        size_t n = fields[i] ? strlen(fields[i]) : 0;
        uint32_t len = fields[i] ? (uint32_t)n : NO_STRING;
        if (n >= NO_STRING)
            return APN_ELIMIT;
        if (put(s, &len, 4) < 0 || (fields[i] && put(s, fields[i], n + 1) < 0))
            return APN_EIO;
    }
    return 0;
}

size_t apn_spill_count(const apn_spill *s)
{
    return s->nrecs;
}

static int read_at(int fd, char *buf, size_t n, uint64_t off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(fd, buf + done, n - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return APN_EIO;
        done += (size_t)k;
    }
    return 0;
}

/* The fields of the record of n bytes at p. */
static int parse(const apn_spill *s, const char *p, size_t n, const char **fields)
{
    const char *e = p + n;
    for (size_t i = 0; i < s->nfields; i++) {
        uint32_t len;
        if (e - p < 4)
            return APN_EIO;
        memcpy(&len, p, 4);
        p += 4;
        if (len == NO_STRING) {
            fields[i] = NULL;
            continue;
        }
        if ((size_t)(e - p) < (size_t)len + 1)
            return APN_EIO;
        fields[i] = p;
        p += len + 1;
    }
    return 0;
}

static size_t block_of(const apn_spill *s, size_t rec)
{
    size_t lo = 0, hi = s->nblocks;   /* the last block whose first record <= rec */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->block_first[mid] <= rec)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int apn_spill_get(apn_spill *s, size_t rec, int near, const char **fields)
{
    if (rec >= s->nrecs)
        return APN_EUSAGE;
    if (s->wlen && flush(s) < 0)
        return APN_EIO;
    size_t b = block_of(s, rec);
    uint64_t start = s->block_off[b], end = b + 1 < s->nblocks ? s->block_off[b + 1] : s->size;
    size_t blen = (size_t)(end - start), from = s->rec_off[rec];
    size_t to = rec + 1 < s->nrecs && (b + 1 >= s->nblocks || rec + 1 < s->block_first[b + 1])
                    ? s->rec_off[rec + 1] : blen;
    if (near && blen <= SLOT_CAP) {
        slot *use = &s->slots[0];
        for (size_t i = 0; i < SLOTS; i++) {
            if (s->slots[i].used && s->slots[i].block == b) {
                use = &s->slots[i];
                goto found;
            }
            if (s->slots[i].used < use->used)
                use = &s->slots[i];
        }
        use->used = 0;
        if (apn_grow(&use->buf, &use->cap, blen + 1, 1) < 0)
            return APN_ENOMEM;
        if (read_at(s->fd, use->buf, blen, start) < 0)
            return APN_EIO;
        use->block = b;
    found:
        use->used = ++s->clock;
        return parse(s, use->buf + from, to - from, fields);
    }
    if (apn_grow(&s->one, &s->capone, to - from + 1, 1) < 0)
        return APN_ENOMEM;
    if (read_at(s->fd, s->one, to - from, start + from) < 0)
        return APN_EIO;
    return parse(s, s->one, to - from, fields);
}

void apn_spill_free(apn_spill *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    for (size_t i = 0; i < SLOTS; i++)
        apn_free(s->slots[i].buf);
    apn_free(s->one);
    apn_free(s->wbuf);
    apn_free(s->block_off);
    apn_free(s->block_first);
    apn_free(s->rec_off);
    apn_free(s);
}
