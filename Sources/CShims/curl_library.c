#include "CurlLibrary.h"
#include "curl_calls.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mw_curl_functions mw_curl;

static pthread_once_t mw_curl_once = PTHREAD_ONCE_INIT;
static int mw_curl_loaded = 0;
static char mw_curl_error[512];

static void mw_curl_load_once(void) {
    const char *name = getenv("MOONWIRE_LIBCURL");
    if (!name || !*name) name = "libcurl.so.4";
    void *lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(mw_curl_error, sizeof mw_curl_error, "cannot load libcurl (%s)", dlerror());
        return;
    }
    struct { void **slot; const char *name; } symbols[] = {
        {(void **)&mw_curl.global_init, "curl_global_init"},
        {(void **)&mw_curl.easy_init, "curl_easy_init"},
        {(void **)&mw_curl.easy_cleanup, "curl_easy_cleanup"},
        {(void **)&mw_curl.easy_setopt, "curl_easy_setopt"},
        {(void **)&mw_curl.easy_getinfo, "curl_easy_getinfo"},
        {(void **)&mw_curl.easy_pause, "curl_easy_pause"},
        {(void **)&mw_curl.easy_strerror, "curl_easy_strerror"},
        {(void **)&mw_curl.slist_append, "curl_slist_append"},
        {(void **)&mw_curl.slist_free_all, "curl_slist_free_all"},
        {(void **)&mw_curl.multi_init, "curl_multi_init"},
        {(void **)&mw_curl.multi_cleanup, "curl_multi_cleanup"},
        {(void **)&mw_curl.multi_setopt, "curl_multi_setopt"},
        {(void **)&mw_curl.multi_add_handle, "curl_multi_add_handle"},
        {(void **)&mw_curl.multi_remove_handle, "curl_multi_remove_handle"},
        {(void **)&mw_curl.multi_socket_action, "curl_multi_socket_action"},
        {(void **)&mw_curl.multi_info_read, "curl_multi_info_read"},
    };
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        *symbols[i].slot = dlsym(lib, symbols[i].name);
        if (!*symbols[i].slot) {
            snprintf(mw_curl_error, sizeof mw_curl_error, "cannot load libcurl (%s has no %s)", name, symbols[i].name);
            return;
        }
    }
    CURLcode code = mw_curl.global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        snprintf(mw_curl_error, sizeof mw_curl_error, "curl_global_init failed (%s)", mw_curl.easy_strerror(code));
        return;
    }
    mw_curl_loaded = 1;
}

int mw_curl_library_load(char *error, size_t size) {
    pthread_once(&mw_curl_once, mw_curl_load_once);
    if (!mw_curl_loaded && error && size > 0) snprintf(error, size, "%s", mw_curl_error);
    return mw_curl_loaded;
}

CURL *mw_curl_easy_init(void) { return mw_curl.easy_init(); }
void mw_curl_easy_cleanup(CURL *h) { mw_curl.easy_cleanup(h); }
const char *mw_curl_easy_strerror(CURLcode code) { return mw_curl.easy_strerror(code); }
struct curl_slist *mw_curl_slist_append(struct curl_slist *list, const char *item) { return mw_curl.slist_append(list, item); }
void mw_curl_slist_free_all(struct curl_slist *list) { mw_curl.slist_free_all(list); }
CURLM *mw_curl_multi_init(void) { return mw_curl.multi_init(); }
CURLMcode mw_curl_multi_cleanup(CURLM *m) { return mw_curl.multi_cleanup(m); }
CURLMcode mw_curl_multi_add_handle(CURLM *m, CURL *h) { return mw_curl.multi_add_handle(m, h); }
CURLMcode mw_curl_multi_remove_handle(CURLM *m, CURL *h) { return mw_curl.multi_remove_handle(m, h); }
CURLMsg *mw_curl_multi_info_read(CURLM *m, int *left) { return mw_curl.multi_info_read(m, left); }
