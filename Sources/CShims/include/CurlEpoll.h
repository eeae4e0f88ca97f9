// Drives a curl multi handle with epoll and curl_multi_socket_action, so the
// cost of a loop turn follows the sockets that are ready, not the number of
// transfers in flight (curl_multi_perform and curl_multi_poll visit every one).
// curl's socket and timer callbacks are C functions here: they only record
// what curl asks for (epoll registrations, one timer deadline).
#ifndef MOONWIRE_CURLEPOLL_H
#define MOONWIRE_CURLEPOLL_H

#include <curl/curl.h>

typedef struct mw_curl_epoll mw_curl_epoll;

/// Creates the epoll set and installs the socket and timer callbacks on
/// `multi`. NULL if epoll_create1 fails.
mw_curl_epoll *mw_curl_epoll_new(CURLM *multi);
/// Closes the epoll set. Call after curl_multi_cleanup.
void mw_curl_epoll_free(mw_curl_epoll *driver);

/// Waits at most `wait_ms` (less when curl's own timer is due sooner) for
/// sockets to be ready, then lets curl act on each ready socket and on its
/// timer if due. Returns the number of ready sockets, or -1 when a signal
/// interrupted the wait (Ctrl-C).
int mw_curl_epoll_turn(mw_curl_epoll *driver, int wait_ms);

#endif
