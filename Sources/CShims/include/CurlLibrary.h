// libcurl is loaded when the first transfer needs it, not when moonwire
// starts: a script, a replay or the REPL that makes no HTTP request never maps
// libcurl and the ~30 libraries it brings (TLS, Kerberos, LDAP, SSH, IDN:
// about 7 MB of resident memory and 8 ms of start-up). The functions below
// are libcurl's, reached through the loaded library; curl's headers give the
// types and constants only.
#ifndef MOONWIRE_CURLLIBRARY_H
#define MOONWIRE_CURLLIBRARY_H

#include <stddef.h>
#include <curl/curl.h>

/// Loads libcurl (MOONWIRE_LIBCURL if set, else the SONAME libcurl.so.4) and runs curl_global_init, once
/// per process and thread-safe. Returns 1 when loaded; 0 with the reason
/// (dlopen's or dlsym's message) copied into `error` otherwise.
int mw_curl_library_load(char *error, size_t size);

CURL *mw_curl_easy_init(void);
void mw_curl_easy_cleanup(CURL *h);
const char *mw_curl_easy_strerror(CURLcode code);
struct curl_slist *mw_curl_slist_append(struct curl_slist *list, const char *item);
void mw_curl_slist_free_all(struct curl_slist *list);
CURLM *mw_curl_multi_init(void);
CURLMcode mw_curl_multi_cleanup(CURLM *m);
CURLMcode mw_curl_multi_add_handle(CURLM *m, CURL *h);
CURLMcode mw_curl_multi_remove_handle(CURLM *m, CURL *h);
CURLMsg *mw_curl_multi_info_read(CURLM *m, int *left);

#endif
