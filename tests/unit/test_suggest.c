/* Unit tests of suggest: the distance, and which names count as close. */
#include <string.h>

#include <apnmap/apnmap.h>

#include "test.h"

TEST(suggest__distance)
{
    CHECK_INT(apn_suggest_distance("stats", "stats"), 0);
    CHECK_INT(apn_suggest_distance("stat", "stats"), 1);
    CHECK_INT(apn_suggest_distance("nxt", "next"), 1);
    CHECK_INT(apn_suggest_distance("Secrutiy", "security"), 2);   /* two swaps, any case */
    CHECK_INT(apn_suggest_distance("", "abc"), 3);
    char long_name[80];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = 0;
    CHECK(apn_suggest_distance(long_name, "a") == (size_t)-1);
}

TEST(suggest__close)
{
    CHECK(apn_suggest_close("stat", "stats"));
    CHECK(apn_suggest_close("nxt", "next"));
    CHECK(apn_suggest_close("securty", "security"));
    CHECK(apn_suggest_close("Helthcare", "healthcare"));
    CHECK(apn_suggest_close("secur", "security"));       /* the start of it */
    CHECK(!apn_suggest_close("s", "security"));          /* too little of it */
    CHECK(!apn_suggest_close("nosuch", "stats"));
    CHECK(!apn_suggest_close("nosuch", "security"));
    CHECK(!apn_suggest_close("ab", "xy"));
    CHECK(!apn_suggest_close("", "stats"));
    CHECK(!apn_suggest_close("widgetz", "gadgets"));
}
