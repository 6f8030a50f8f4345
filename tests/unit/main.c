/* main — runs the unit tests registered from tests/unit/test_*.c. */
#include <stdlib.h>

#include "test.h"

#define X(name) void test_##name(void);
#include "unit_registry.h"
#undef X

static const struct { const char *name; void (*fn)(void); } tests[] = {
#define X(name) { #name, test_##name },
#include "unit_registry.h"
#undef X
    { NULL, NULL }
};

int test__failed;

void test__fail(const char *file, int line, const char *what)
{
    printf("    %s:%d: check failed: %s\n", file, line, what);
    test__failed++;
}

void test__fail_str(const char *file, int line, const char *what, const char *got,
                    const char *want)
{
    printf("    %s:%d: %s\n      got:  %s\n      want: %s\n", file, line, what,
           got ? got : "(null)", want ? want : "(null)");
    test__failed++;
}


int main(int argc, char **argv)
{
    const char *only = NULL;
    if (argc == 3 && !strcmp(argv[1], "-s"))
        only = argv[2];
    int passed = 0, failed = 0;
    for (int i = 0; tests[i].name; i++) {
        if (only && strncmp(tests[i].name, only, strlen(only)))
            continue;
        int before = test__failed;
        tests[i].fn();
        if (test__failed > before) {
            printf("FAIL unit %s\n", tests[i].name);
            failed++;
        } else {
            printf("ok   unit %s\n", tests[i].name);
            passed++;
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
