#include "CurlShims.h"
#include "curl_calls.h"

CURLcode mw_curl_set_long(CURL *h, CURLoption opt, long value) { return mw_curl.easy_setopt(h, opt, value); }
CURLcode mw_curl_set_off(CURL *h, CURLoption opt, curl_off_t value) { return mw_curl.easy_setopt(h, opt, value); }
CURLcode mw_curl_set_ptr(CURL *h, CURLoption opt, void *value) { return mw_curl.easy_setopt(h, opt, value); }
CURLcode mw_curl_set_str(CURL *h, CURLoption opt, const char *value) { return mw_curl.easy_setopt(h, opt, value); }
CURLcode mw_curl_set_slist(CURL *h, CURLoption opt, struct curl_slist *value) { return mw_curl.easy_setopt(h, opt, value); }
CURLcode mw_curl_set_data_fn(CURL *h, CURLoption opt, mw_curl_data_fn fn) { return mw_curl.easy_setopt(h, opt, fn); }
CURLcode mw_curl_set_xferinfo_fn(CURL *h, mw_curl_xferinfo_fn fn) { return mw_curl.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, fn); }

CURLcode mw_curl_get_long(CURL *h, CURLINFO info, long *out) { return mw_curl.easy_getinfo(h, info, out); }
CURLcode mw_curl_get_ptr(CURL *h, CURLINFO info, void **out) { return mw_curl.easy_getinfo(h, info, out); }
CURLcode mw_curl_get_double(CURL *h, CURLINFO info, double *out) { return mw_curl.easy_getinfo(h, info, out); }
CURLcode mw_curl_get_off(CURL *h, CURLINFO info, curl_off_t *out) { return mw_curl.easy_getinfo(h, info, out); }

CURLMcode mw_curlm_set_long(CURLM *m, CURLMoption opt, long value) { return mw_curl.multi_setopt(m, opt, value); }

CURLcode mw_curl_unpause(CURL *h) { return mw_curl.easy_pause(h, CURLPAUSE_CONT); }
