/* Unit tests of io: SHA-256 (libcrypto and the portable fallback) against the
 * FIPS 180-4 / NIST example vectors and against sha256sum on a 1 MB input,
 * whole-file reads with their size limit and fault hook, and staged writes:
 * links at a destination replaced, never followed; every failing write step
 * leaves the old files. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/io.h"
#include "test.h"

static void check_both(const void *data, size_t len, const char *want)
{
    char hex[65];
    memset(hex, 'x', sizeof hex);
    apn_sha256_hex(hex, data, len);
    CHECK_STR(hex, want);
    memset(hex, 'x', sizeof hex);
    apn_io__sha256_portable_hex(hex, data, len);
    CHECK_STR(hex, want);
}

TEST(io__sha256_nist_vectors)
{
    check_both("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_both("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* 448 bits: the padding spills into a second block */
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_both(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(io__sha256_block_boundaries_agree)
{
    /* every length around the 55/56/64-byte padding edges: both digests agree */
    unsigned char buf[200];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof buf; len++) {
        char a[65], b[65];
        apn_sha256_hex(a, buf, len);
        apn_io__sha256_portable_hex(b, buf, len);
        CHECK_STR(a, b);
        CHECK_INT(strlen(a), 64);
    }
}

TEST(io__sha256_1mb_matches_sha256sum)
{
    size_t len = 1 << 20;
    unsigned char *data = apn_malloc(len);
    REQUIRE(data);
    uint32_t x = 2463534242u;   /* xorshift: not a repeating pattern */
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    char dir[256], path[300];
    REQUIRE(test_tmpdir(dir, sizeof dir, "io") == 0);
    snprintf(path, sizeof path, "%s/data", dir);
    FILE *f = fopen(path, "wb");
    REQUIRE(f);
    CHECK_INT(fwrite(data, 1, len, f), (long long)len);
    fclose(f);
    char cmd[400], want[65] = "";
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    if (p) {
        CHECK(fscanf(p, "%64s", want) == 1);
        CHECK_INT(pclose(p), 0);
    }
    test_rmtree(dir);
    CHECK_INT(strlen(want), 64);
    check_both(data, len, want);
    apn_free(data);
}

TEST(io__read_file_limit_and_fault)
{
    char dir[256], path[300];
    REQUIRE(test_tmpdir(dir, sizeof dir, "io") == 0);
    snprintf(path, sizeof path, "%s/hello", dir);
    FILE *f = fopen(path, "wb");
    REQUIRE(f);
    CHECK_INT(fwrite("hello", 1, 5, f), 5);
    fclose(f);
    char *buf = NULL;
    size_t len = 0;
    CHECK_INT(apn_io_read_file(&buf, &len, path, 100), 0);
    CHECK_INT(len, 5);
    CHECK(buf && memcmp(buf, "hello", 5) == 0);
    apn_free(buf);
    buf = NULL;
    CHECK_INT(apn_io_read_file(&buf, &len, path, 4), APN_ELIMIT);
    CHECK(buf == NULL);
    apn_io_fail_after(1);
    CHECK_INT(apn_io_read_file(&buf, &len, path, 100), APN_EIO);
    CHECK(buf == NULL);
    apn_io_fail_after(0);
    test_rmtree(dir);
}

/* ---- staged writes ---- */

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* the file's text (at most 255 bytes), or "" when it cannot be read */
static const char *get(const char *path, char buf[256])
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, 255, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
    return buf;
}

/* entries of dir other than . and .. */
static int entries(const char *dir)
{
    char cmd[300], out[32] = "";
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    if (p) {
        if (!fgets(out, sizeof out, p))
            out[0] = 0;
        pclose(p);
    }
    return atoi(out);
}

static int stage_two(const char *dir, const char *a, const char *b)
{
    apn_io_stage *s = NULL;
    FILE *f = NULL;
    int err;
    if ((err = apn_io_stage_open(&s, dir)) < 0)
        return err;
    if (!(err = apn_io_stage_fopen(&f, s, "a.txt"))) {
        fputs(a, f);
        err = apn_io_stage_fclose(s, f);
    }
    const char *p = err ? NULL : apn_io_stage_path(s, "b.txt");   /* as another program would */
    if (!err && !p)
        err = APN_ENOMEM;
    if (!err)
        put(p, b);
    if (!err)
        err = apn_io_stage_commit(s);
    apn_io_stage_free(s);
    return err;
}

TEST(io__stage_commit_replaces_links_never_follows)
{
    char dir[256], p[300], q[300], buf[256];
    REQUIRE(test_tmpdir(dir, sizeof dir, "stage") == 0);
    snprintf(p, sizeof p, "%s/victim", dir);
    put(p, "precious");
    snprintf(q, sizeof q, "%s/a.txt", dir);
    CHECK(symlink("victim", q) == 0);   /* a planted link */
    CHECK_INT(stage_two(dir, "new a", "new b"), 0);
    CHECK_STR(get(p, buf), "precious");
    CHECK_STR(get(q, buf), "new a");
    struct stat st;
    CHECK(lstat(q, &st) == 0 && S_ISREG(st.st_mode));
    snprintf(q, sizeof q, "%s/b.txt", dir);
    CHECK_STR(get(q, buf), "new b");
    CHECK_INT(entries(dir), 3);   /* victim, a.txt, b.txt: the private folder is gone */

    /* bad names and a name staged twice */
    apn_io_stage *s = NULL;
    FILE *f = NULL;
    REQUIRE(apn_io_stage_open(&s, dir) == 0);
    CHECK_INT(apn_io_stage_fopen(&f, s, "../x"), APN_EUSAGE);
    CHECK_INT(apn_io_stage_fopen(&f, s, ".."), APN_EUSAGE);
    CHECK(apn_io_stage_path(s, "a/b") == NULL);
    REQUIRE(apn_io_stage_fopen(&f, s, "c.txt") == 0);
    apn_io_stage_fclose(s, f);
    CHECK_INT(apn_io_stage_fopen(&f, s, "c.txt"), APN_EUSAGE);
    apn_io_stage_free(s);   /* not committed: c.txt never appears */
    CHECK_INT(entries(dir), 3);

    /* a destination that is a folder: nothing is renamed */
    snprintf(q, sizeof q, "%s/b.txt", dir);
    unlink(q);
    CHECK(mkdir(q, 0700) == 0);
    CHECK_INT(stage_two(dir, "newer a", "newer b"), APN_EIO);
    snprintf(q, sizeof q, "%s/a.txt", dir);
    CHECK_STR(get(q, buf), "new a");
    CHECK_INT(entries(dir), 3);
    CHECK(test_rmtree(dir) == 0);
}

TEST(io__stage_faults_leave_the_old_files)
{
    char dir[256], q[300], buf[256];
    REQUIRE(test_tmpdir(dir, sizeof dir, "stage") == 0);
    CHECK_INT(stage_two(dir, "old a", "old b"), 0);
    /* every write step failing in turn: the old files stay, nothing is left over */
    int steps = 0;
    for (long k = 1; k < 50; k++) {
        apn_io_write_fail_after(k);
        int err = stage_two(dir, "new a", "new b");
        apn_io_write_fail_after(0);
        if (!err)
            break;
        steps++;
        CHECK_INT(err, APN_EIO);
        CHECK(errno == ENOSPC);
        snprintf(q, sizeof q, "%s/a.txt", dir);
        CHECK_STR(get(q, buf), "old a");
        snprintf(q, sizeof q, "%s/b.txt", dir);
        CHECK_STR(get(q, buf), "old b");
        CHECK_INT(entries(dir), 2);
    }
    CHECK_INT(steps, 4);   /* make the stage, open a.txt, close it, commit */
    snprintf(q, sizeof q, "%s/b.txt", dir);
    CHECK_STR(get(q, buf), "new b");

    /* the one-file form */
    snprintf(q, sizeof q, "%s/one.txt", dir);
    CHECK_INT(apn_io_write_atomic(q, "first", 5), 0);
    apn_io_write_fail_after(3);
    CHECK_INT(apn_io_write_atomic(q, "second", 6), APN_EIO);
    apn_io_write_fail_after(0);
    CHECK_STR(get(q, buf), "first");
    CHECK_INT(entries(dir), 3);
    CHECK_INT(apn_io_write_atomic("/nonexistent-dir/x", "x", 1), APN_EIO);
    CHECK(test_rmtree(dir) == 0);
}
