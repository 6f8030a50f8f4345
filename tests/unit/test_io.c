/* Unit tests of io: SHA-256 (libcrypto and the portable fallback) against the
 * FIPS 180-4 / NIST example vectors and against sha256sum on a 1 MB input,
 * and whole-file reads with their size limit and fault hook. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
