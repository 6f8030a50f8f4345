/* io — the library's file reads, through a hook a test can make fail.
 *
 * apn_io_read_file reads a whole file into an owned buffer (apn_free), refusing
 * files larger than max (APN_ELIMIT) before reading them. apn_io_fail_after(N)
 * makes the Nth read from now fail with APN_EIO (0 disables), for fault tests.
 */
#ifndef APN_IO_H
#define APN_IO_H

#include <stddef.h>

int apn_io_read_file(char **out, size_t *len, const char *path, size_t max);
void apn_io_fail_after(long n);

/* Computes the SHA-256 of data as 64 lowercase hex digits into hex[65], with
 * libcrypto (hardware SHA where the CPU has it). Example: "" -> "e3b0c442...b855". */
void apn_sha256_hex(char hex[65], const void *data, size_t len);
/* The same digest in portable C: apn_sha256_hex's fallback when libcrypto
 * fails; exposed so the unit tests check it against the same vectors. */
void apn_io__sha256_portable_hex(char hex[65], const void *data, size_t len);

#endif
