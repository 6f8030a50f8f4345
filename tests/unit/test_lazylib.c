/* Unit tests of lazylib: both libraries load, their tables call the real
 * functions, a second load gives the same table, and a library or symbol that
 * cannot be found gives an error naming it and its package. */
#include <string.h>

#include <apnmap/apnmap.h>

#include "util/lazylib.h"
#include "test.h"

static int starts_with(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

TEST(lazylib__curl_loads)
{
    const apn_lazylib_curl *cu = NULL, *again = NULL;
    const char *why = "unset";
    REQUIRE(apn_lazylib_curl_load(&cu, &why) == 0);
    REQUIRE(cu != NULL);
    CHECK(why == NULL);
    CHECK(cu->global_init && cu->global_cleanup && cu->easy_init && cu->easy_cleanup &&
          cu->easy_setopt && cu->easy_perform && cu->easy_getinfo && cu->easy_strerror &&
          cu->slist_append && cu->slist_free_all);
    /* the table reaches libcurl itself: its own wording of an error code */
    CHECK_STR(cu->easy_strerror(CURLE_OK), "No error");
    CURL *c = cu->easy_init();
    CHECK(c != NULL);
    CHECK_INT(cu->easy_setopt(c, CURLOPT_URL, "http://127.0.0.1:9/"), CURLE_OK);
    cu->easy_cleanup(c);
    CHECK_INT(apn_lazylib_curl_load(&again, &why), 0);
    CHECK(again == cu);
}

TEST(lazylib__glpk_loads)
{
    const apn_lazylib_glpk *g = NULL;
    const char *why = "unset";
    REQUIRE(apn_lazylib_glpk_load(&g, &why) == 0);
    REQUIRE(g != NULL);
    CHECK(why == NULL);
    /* max x + y, x + y <= 1.5, x, y binary: the optimum is 1 */
    int ind[3] = { 0, 1, 2 };
    double val[3] = { 0, 1, 1 };
    g->term_out(GLP_OFF);
    glp_prob *p = g->create_prob();
    g->set_obj_dir(p, GLP_MAX);
    g->add_cols(p, 2);
    for (int j = 1; j <= 2; j++) {
        g->set_col_kind(p, j, GLP_BV);
        g->set_obj_coef(p, j, 1.0);
    }
    g->add_rows(p, 1);
    g->set_mat_row(p, 1, 2, ind, val);
    g->set_row_bnds(p, 1, GLP_UP, 0.0, 1.5);
    glp_iocp parm;
    g->init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    CHECK_INT(g->intopt(p, &parm), 0);
    CHECK_INT(g->mip_status(p), GLP_OPT);
    CHECK(g->mip_obj_val(p) > 0.999 && g->mip_obj_val(p) < 1.001);
    g->delete_prob(p);
}

TEST(lazylib__missing_library_named)
{
    void (*fns[1])(void) = { 0 };
    char err[300] = "";
    CHECK_INT(apn_lazylib__open(fns, "easy_init\0", 1, "libapnmap-absent.so.9", "curl_",
                                "libapnmap-absent9", err, sizeof err), APN_ERROR);
    CHECK(starts_with(err, "cannot load libapnmap-absent.so.9 (install the Debian package "
                           "libapnmap-absent9): "));
    CHECK(strstr(err, "libapnmap-absent.so.9: cannot open shared object file") != NULL);
    CHECK(fns[0] == NULL);
}

TEST(lazylib__missing_symbol_named)
{
    void (*fns[2])(void) = { 0, 0 };
    char err[300] = "";
    CHECK_INT(apn_lazylib__open(fns, "easy_init\0no_such_function\0", 2, "libcurl.so.4", "curl_",
                                "libcurl4", err, sizeof err), APN_ERROR);
    CHECK(starts_with(err, "cannot load libcurl.so.4 (install the Debian package libcurl4): "
                           "no curl_no_such_function: "));
    /* and the names are looked up in order, with the prefix */
    CHECK_INT(apn_lazylib__open(fns, "easy_init\0easy_cleanup\0", 2, "libcurl.so.4", "curl_",
                                "libcurl4", err, sizeof err), 0);
    CHECK(fns[0] != NULL && fns[1] != NULL && fns[0] != fns[1]);
}
