// Typed, non-variadic wrappers for curl's variadic setopt/getinfo calls, which
// Swift cannot call directly.
#ifndef MOONWIRE_CURLSHIMS_H
#define MOONWIRE_CURLSHIMS_H

#include <curl/curl.h>

typedef size_t (*mw_curl_data_fn)(char *data, size_t size, size_t nmemb, void *userdata);
typedef int (*mw_curl_xferinfo_fn)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

CURLcode mw_curl_set_long(CURL *h, CURLoption opt, long value);
CURLcode mw_curl_set_off(CURL *h, CURLoption opt, curl_off_t value);
CURLcode mw_curl_set_ptr(CURL *h, CURLoption opt, void *value);
CURLcode mw_curl_set_str(CURL *h, CURLoption opt, const char *value);
CURLcode mw_curl_set_slist(CURL *h, CURLoption opt, struct curl_slist *value);
CURLcode mw_curl_set_data_fn(CURL *h, CURLoption opt, mw_curl_data_fn fn);
CURLcode mw_curl_set_xferinfo_fn(CURL *h, mw_curl_xferinfo_fn fn);

CURLcode mw_curl_get_long(CURL *h, CURLINFO info, long *out);
CURLcode mw_curl_get_ptr(CURL *h, CURLINFO info, void **out);
CURLcode mw_curl_get_double(CURL *h, CURLINFO info, double *out);
CURLcode mw_curl_get_off(CURL *h, CURLINFO info, curl_off_t *out);

CURLMcode mw_curlm_set_long(CURLM *m, CURLMoption opt, long value);

/// CURL_WRITEFUNC_ERROR / CURL_WRITEFUNC_PAUSE are macros.
static inline size_t mw_curl_writefunc_error(void) { return 0; }
static inline size_t mw_curl_writefunc_pause(void) { return CURL_WRITEFUNC_PAUSE; }
/// curl_easy_pause(h, CURLPAUSE_CONT): delivery goes on after a pause.
CURLcode mw_curl_unpause(CURL *h);
#endif
