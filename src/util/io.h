/* io — the library's file reads and writes, through hooks a test can make fail.
 *
 * apn_io_read_file reads a whole file into an owned buffer (apn_free), refusing
 * files larger than max (APN_ELIMIT) before reading them. apn_io_fail_after(N)
 * makes the Nth read from now fail with APN_EIO (0 disables), for fault tests.
 *
 * Every file apnmap writes goes through a stage (apn_io_stage) or its one-file
 * form apn_io_write_atomic: files are written into a private folder made beside
 * their destination (DIR/.apnmap.tmp-XXXXXX, mode 0700, created fresh), flushed
 * and fsynced, and only then renamed into DIR together (apn_io_stage_commit),
 * then the folder is fsynced and the private one removed. So a failure before
 * the commit (a full disk, a killed process, an error) leaves every file already
 * in DIR as it was; a rename replaces a symbolic link planted at a destination
 * and never writes through it; nothing is written outside DIR. A stage that is
 * freed without a commit removes everything it holds. apn_io_write_fail_after(N)
 * makes the Nth write step from now (making a stage, opening, closing or
 * committing) fail as a full disk does (ENOSPC, APN_EIO), for fault tests.
 * Failing calls leave errno set for the caller's message (strerror).
 */
#ifndef APN_IO_H
#define APN_IO_H

#include <stddef.h>
#include <stdio.h>

#include <apnmap/common.h>

int apn_io_read_file(char **out, size_t *len, const char *path, size_t max);
void apn_io_fail_after(long n);

typedef struct apn_io_stage apn_io_stage;

/* Makes the private folder beside dir's files (dir must exist). Returns 0 with
 * *out owned (apn_io_stage_free), APN_EIO or APN_ENOMEM; *out NULL on failure. */
int apn_io_stage_open(apn_io_stage **out, const char *dir);
/* Opens the stage's file for name (a plain file name, no '/'), which the commit
 * moves to dir/name; 0 with *out open for writing, APN_EIO, APN_ENOMEM,
 * APN_EUSAGE (a name with '/', or one staged twice). */
int apn_io_stage_fopen(FILE **out, apn_io_stage *s, const char *name);
/* Flushes, fsyncs and closes a file of apn_io_stage_fopen: 0, or APN_EIO when
 * any write to it failed (the file is closed either way). */
int apn_io_stage_fclose(apn_io_stage *s, FILE *f);
/* The path in the stage where another program (gnuplot) writes name, which the
 * commit then moves to dir/name (fsynced first); asked again, the same path.
 * Borrowed until the next call on s; NULL when out of memory or for a bad name
 * (as apn_io_stage_fopen). */
const char *apn_io_stage_path(apn_io_stage *s, const char *name);
/* Unstages name (a file another program was to write and did not): the
 * commit leaves dir/name alone. Its file in the stage, if any, is removed. */
void apn_io_stage_forget(apn_io_stage *s, const char *name);
/* Moves every staged file into dir. Before the first rename it checks that each
 * exists and that no destination is a folder: a failure then (APN_EIO, errno
 * says why; apn_io_stage_failed names the file) leaves dir untouched. */
int apn_io_stage_commit(apn_io_stage *s);
/* The file name the last failing call of s was about (borrowed; "" when none). */
const char *apn_io_stage_failed(const apn_io_stage *s);
/* The staged names in the order they were staged (borrowed), e.g. to say what
 * a commit wrote. */
size_t apn_io_stage_count(const apn_io_stage *s);
const char *apn_io_stage_name(const apn_io_stage *s, size_t i);
/* Removes what is left in the stage and its folder; NULL is a no-op. */
void apn_io_stage_free(apn_io_stage *s);

/* Writes len bytes of data to path through a stage in path's folder. 0,
 * APN_EIO (errno says why) or APN_ENOMEM; on failure path is as it was. */
int apn_io_write_atomic(const char *path, const void *data, size_t len);
void apn_io_write_fail_after(long n);

/* Temporary files beside a destination (DEST.KIND-XXXXXX: the store's
 * database and side file) that a killed process may leave behind.
 * apn_io_temp_locked makes one from templ (ending in XXXXXX, filled in as
 * mkstemp does) and holds an exclusive flock on it as long as *fd is open, so a
 * live file can be told from an orphan: 0 with *fd open, APN_EIO (errno says
 * why) or APN_ENOMEM; *fd -1 on failure. apn_io_remove_stale removes, in the
 * folder of path, every regular file named BASE.KIND-XXXXXX (BASE path's file
 * name, KIND one of the NULL-terminated kinds) that no process holds locked,
 * with a note on d for each; links and live files are left alone. Returns how
 * many it removed, or APN_ENOMEM. */
int apn_io_temp_locked(int *fd, char *templ);
int apn_io_remove_stale(apn_diags *d, const char *path, const char *const *kinds);

/* Computes the SHA-256 of data as 64 lowercase hex digits into hex[65], with
 * libcrypto (hardware SHA where the CPU has it). Example: "" -> "e3b0c442...b855". */
void apn_sha256_hex(char hex[65], const void *data, size_t len);
/* The same digest in portable C: apn_sha256_hex's fallback when libcrypto
 * fails; exposed so the unit tests check it against the same vectors. */
void apn_io__sha256_portable_hex(char hex[65], const void *data, size_t len);

#endif
