/* Unit tests of html_out: HTML escaping, JSON for <script>, base64. */
#include "test.h"

#include "util/buf.h"
#include "html_out.h"

TEST(html_out__escape)
{
    apn_buf b = APN_BUF_INIT;
    apn_html_escape(&b, "<img src=x onerror=\"alert('1')\"> & done");
    CHECK_STR(apn_buf_cstr(&b), "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; done");
    apn_buf_clear(&b);
    apn_html_escape(&b, NULL);
    apn_html_escape(&b, "");
    apn_html_escape(&b, "plain caf\xC3\xA9");
    CHECK_STR(apn_buf_cstr(&b), "plain caf\xC3\xA9");
    apn_buf_dispose(&b);
}

TEST(html_out__script_json)
{
    apn_buf b = APN_BUF_INIT;
    apn_html_script_json(&b, "[\"</script><script>alert(1)</script>\",\"<!-- a & b -->\"]");
    CHECK_STR(apn_buf_cstr(&b), "[\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\","
                                "\"\\u003c!-- a \\u0026 b --\\u003e\"]");
    apn_buf_clear(&b);
    apn_html_script_json(&b, "\"a\xE2\x80\xA8" "b\xE2\x80\xA9" "c\xE2\x80\xA6\"");   /* U+2028, U+2029 kept out; U+2026 kept */
    CHECK_STR(apn_buf_cstr(&b), "\"a\\u2028b\\u2029c\xE2\x80\xA6\"");
    apn_buf_dispose(&b);
}

TEST(html_out__base64)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "" }, { "a", "YQ==" }, { "ab", "YWI=" }, { "abc", "YWJj" }, { "<svg/>", "PHN2Zy8+" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        apn_buf b = APN_BUF_INIT;
        apn_html_base64(&b, cases[i].in, strlen(cases[i].in));
        CHECK_STR(apn_buf_cstr(&b), cases[i].out);
        apn_buf_dispose(&b);
    }
    unsigned char bin[3] = { 0xff, 0xfe, 0x00 };
    apn_buf b = APN_BUF_INIT;
    apn_html_base64(&b, bin, 3);
    CHECK_STR(apn_buf_cstr(&b), "//4A");
    apn_buf_dispose(&b);
}
