/* ident — a document's checklist identity and the offerings it belongs to. See ident.h. */
#include "read/ident.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *apn_ident_find(const char *hay, const char *needle)
{
    return hay && needle ? strcasestr(hay, needle) : NULL;
}

static const char *dupn(apn_arena *ar, int *oom, const char *s, size_t n)
{
    const char *r = apn_arena_strndup(ar, s, n);
    if (!r)
        *oom = 1;
    return r;
}

int apn_ident_release_key(const char *validity)
{
    static const char *months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec" };
    if (!validity)
        return 0;
    for (const char *p = validity; *p; p++) {
        if (!isalpha((unsigned char)*p) || (p > validity && isalpha((unsigned char)p[-1])))
            continue;
        for (int mo = 0; mo < 12; mo++) {
            if (strncasecmp(p, months[mo], 3))
                continue;
            const char *q = p;
            while (isalpha((unsigned char)*q) || *q == '.')
                q++;
            while (*q == ' ' || *q == ',')
                q++;
            if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) &&
                isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]))
                return atoi(q) * 100 + mo + 1;
        }
    }
    return 0;
}

const char *apn_ident_path_slug(apn_arena *ar, int *oom, const char *path)
{
    if (!path)
        return NULL;
    for (const char *p = path; (p = strstr(p, "competency/")); p++) {
        if (p != path && p[-1] != '/')
            continue;
        const char *s = p + strlen("competency/"), *e = strchr(s, '/');
        if (!e || e == s)
            return NULL;
        return dupn(ar, oom, s, (size_t)(e - s));
    }
    return NULL;
}

const char *apn_ident_name_before(apn_arena *ar, int *oom, const char *text, const char *word)
{
    const char *w = apn_ident_find(text, word);
    if (!w)
        return NULL;
    const char *s = text;
    for (const char *p = text; p < w; p++)
        if (!strncmp(p, "AWS ", 4) && (p == text || !isalpha((unsigned char)p[-1])))
            s = p + 4;
    while (s < w && isspace((unsigned char)*s))
        s++;
    const char *e = w;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    if (e <= s)
        return NULL;
    return dupn(ar, oom, s, (size_t)(e - s));
}

/* The FTR: its variant from the title, path and URL; its track from the variant. */
static int read_ftr(apn_ident *id, const char *text, const char *both)
{
    id->programme = "FTR";
    if (apn_ident_find(both, "alternative"))
        id->variant = "alternative";
    else if (apn_ident_find(both, "customer-deployed") || apn_ident_find(both, "customer deployed"))
        id->variant = "customer-deployed";
    else if (apn_ident_find(both, "partner-hosted") || apn_ident_find(both, "partner hosted"))
        id->variant = "partner-hosted";
    else if (apn_ident_find(text, "service offering"))
        id->variant = "service-offering";
    else
        return APN_ENOTFOUND;
    id->track = !strcmp(id->variant, "service-offering") ? "services" : "software";
    return 0;
}

int apn_ident_read(apn_ident *id, const apn_doc *d, const char *relpath, const char *url,
                   const char *validity, apn_arena *ar)
{
    char text[2048];
    snprintf(text, sizeof text, "%s %s", d->title ? d->title : "", d->subtitle ? d->subtitle : "");
    const char *where = url ? url : relpath;
    char both[4096];
    snprintf(both, sizeof both, "%s %s %s", text, relpath, url ? url : "");
    int oom = 0;

    memset(id, 0, sizeof *id);
    id->release_key = apn_ident_release_key(validity);
    if (apn_ident_find(text, "Foundational Technical Review") || apn_ident_find(where, "foundational/"))
        return read_ftr(id, text, both);
    if (apn_ident_find(text, "Managed Service Provider") || apn_ident_find(text, "(MSP)")) {
        id->programme = "MSP";
    } else if (apn_ident_find(text, "Service Delivery")) {
        id->programme = "Service Delivery";
        id->name = apn_ident_name_before(ar, &oom, text, "Service Delivery");
    } else if (apn_ident_find(text, "Service Ready")) {
        id->programme = "Service Ready";
        id->name = apn_ident_name_before(ar, &oom, text, "Service Ready");
    } else {
        id->name = apn_ident_name_before(ar, &oom, text, " Competency");
        id->slug = apn_ident_path_slug(ar, &oom, relpath);
        if (!id->slug)
            id->slug = apn_ident_path_slug(ar, &oom, url);
        if (oom)
            return APN_ENOMEM;
        if (!id->name && !id->slug)
            return APN_ENOTFOUND;
        id->programme = "Competency";
    }
    if (oom)
        return APN_ENOMEM;
    /* the track: the checklist's own name first, the site's folder second */
    if (apn_ident_find(text, "Partner Offering"))
        id->track = "software";
    else if (apn_ident_find(text, "Service Offering"))
        id->track = "services";
    else if (apn_ident_find(where, "/technology/") || !strncmp(where, "technology/", 11))
        id->track = "software";
    else if (apn_ident_find(where, "/consulting/") || !strncmp(where, "consulting/", 11))
        id->track = "services";
    else if (!strcmp(id->programme, "Competency"))
        return APN_ENOTFOUND;
    else
        id->track = "services";
    return 0;
}

unsigned apn_ident_offerings(const char *programme, const char *variant, const char *track)
{
    static const char *const ftr_for[3] = { "partner-hosted", "customer-deployed", "service-offering" };
    unsigned bits = 0;
    if (!programme)
        return 0;
    if (!strcmp(programme, "FTR")) {
        for (unsigned o = 0; o < 3; o++)
            if (variant && !strcmp(variant, ftr_for[o]))
                bits |= APN_OFFER_BIT(o);
        return bits;
    }
    if (!track)
        return 0;
    return !strcmp(track, "services") ? APN_OFFER_SERVICES
           : !strcmp(track, "software") ? APN_OFFER_SAAS | APN_OFFER_CUSTOMER_DEPLOYED : 0;
}
