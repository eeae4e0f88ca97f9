#include "CurlEpoll.h"
#include "curl_calls.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct mw_curl_epoll {
    CURLM *multi;
    int epfd;
    /// Monotonic deadline of curl's timer in ms, or -1.
    long long deadline_ms;
};

static long long mw_monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int mw_socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)easy; (void)socketp;
    mw_curl_epoll *driver = (mw_curl_epoll *)userp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(driver->epfd, EPOLL_CTL_DEL, s, NULL);  // fails harmlessly if curl closed it already
        return 0;
    }
    struct epoll_event ev = {0};
    ev.data.fd = s;
    if (what & CURL_POLL_IN) ev.events |= EPOLLIN;
    if (what & CURL_POLL_OUT) ev.events |= EPOLLOUT;
    if (epoll_ctl(driver->epfd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT)
        epoll_ctl(driver->epfd, EPOLL_CTL_ADD, s, &ev);
    return 0;
}

static int mw_timer_cb(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    mw_curl_epoll *driver = (mw_curl_epoll *)userp;
    driver->deadline_ms = timeout_ms < 0 ? -1 : mw_monotonic_ms() + timeout_ms;
    return 0;
}

mw_curl_epoll *mw_curl_epoll_new(CURLM *multi) {
    mw_curl_epoll *driver = calloc(1, sizeof *driver);
    if (driver == NULL) return NULL;
    driver->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (driver->epfd < 0) { free(driver); return NULL; }
    driver->multi = multi;
    driver->deadline_ms = -1;
    mw_curl.multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, mw_socket_cb);
    mw_curl.multi_setopt(multi, CURLMOPT_SOCKETDATA, driver);
    mw_curl.multi_setopt(multi, CURLMOPT_TIMERFUNCTION, mw_timer_cb);
    mw_curl.multi_setopt(multi, CURLMOPT_TIMERDATA, driver);
    return driver;
}

void mw_curl_epoll_free(mw_curl_epoll *driver) {
    if (driver == NULL) return;
    close(driver->epfd);
    free(driver);
}

/// Milliseconds until curl's timer is due (0: now), or -1 if none.
static long mw_curl_epoll_timer_ms(mw_curl_epoll *driver) {
    if (driver->deadline_ms < 0) return -1;
    long long left = driver->deadline_ms - mw_monotonic_ms();
    return left < 0 ? 0 : (long)left;
}

int mw_curl_epoll_turn(mw_curl_epoll *driver, int wait_ms) {
    long timer = mw_curl_epoll_timer_ms(driver);
    int timeout = wait_ms < 0 ? 0 : wait_ms;
    if (timer >= 0 && timer < timeout) timeout = (int)timer;
    struct epoll_event events[512];
    int n = epoll_wait(driver->epfd, events, 512, timeout);
    if (n < 0) return errno == EINTR ? -1 : 0;
    int running = 0;
    for (int i = 0; i < n; i++) {
        int mask = 0;
        if (events[i].events & EPOLLIN) mask |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) mask |= CURL_CSELECT_OUT;
        if (events[i].events & (EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_ERR;
        mw_curl.multi_socket_action(driver->multi, events[i].data.fd, mask, &running);
    }
    if (driver->deadline_ms >= 0 && mw_monotonic_ms() >= driver->deadline_ms) {
        driver->deadline_ms = -1;
        mw_curl.multi_socket_action(driver->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    return n;
}
