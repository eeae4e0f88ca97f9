// Ctrl-C for the REPL: see REPLShims.h. Everything the handler touches
// is async-signal-safe: a sig_atomic_t flag, clock_gettime, tcsetattr, write
// and _exit.
#include "REPLShims.h"
#include <lauxlib.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t mw_interrupted = 0;
static volatile sig_atomic_t mw_interrupt_sticky = 0;
/// Monotonic time of the last SIGINT in ms (0: none); only the handler
/// touches it, and SIGINT is blocked while the handler runs.
static volatile long long mw_last_sigint_ms = 0;
static struct termios mw_saved_tty;
static volatile sig_atomic_t mw_have_tty = 0;
static int mw_tty_fd = -1;
static struct sigaction mw_previous_action;
static int mw_installed = 0;

static long long mw_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void mw_interrupt_hook(lua_State *L, lua_Debug *ar);

/// The states Ctrl-C must stop: the main thread, and the coroutine the host
/// resumed last (a task). No hook is installed until a SIGINT arrives, so
/// pure Lua runs at lua.c's speed and a script's own debug.sethook is left
/// alone until then (as lua.c's laction does; lua_sethook is safe in a
/// signal handler).
static lua_State *volatile mw_main_L = NULL;
static lua_State *volatile mw_running_L = NULL;

static void mw_arm_hooks(void) {
    lua_State *m = mw_main_L, *r = mw_running_L;
    if (m) lua_sethook(m, mw_interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    if (r && r != m) lua_sethook(r, mw_interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static void mw_sigint_handler(int sig) {
    (void)sig;
    int saved_errno = errno;
    long long now = mw_now_ms();
    if (mw_last_sigint_ms != 0 && now - mw_last_sigint_ms < 1000) {
        // The line editor may have left the terminal in raw mode.
        if (mw_have_tty) tcsetattr(mw_tty_fd, TCSANOW, &mw_saved_tty);
        static const char newline[] = "\n";
        ssize_t ignored = write(STDERR_FILENO, newline, 1);
        (void)ignored;
        _exit(130);
    }
    mw_last_sigint_ms = now;
    mw_interrupted = 1;
    mw_interrupt_sticky = 1;
    mw_arm_hooks();
    errno = saved_errno;
}

void mw_interrupt_install_handler(int tty_fd) {
    if (mw_installed) return;
    if (tty_fd >= 0 && isatty(tty_fd) && tcgetattr(tty_fd, &mw_saved_tty) == 0) {
        mw_tty_fd = tty_fd;
        mw_have_tty = 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = mw_sigint_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: interrupt read() and poll()
    if (sigaction(SIGINT, &sa, &mw_previous_action) == 0) mw_installed = 1;
    // A parent may have started us with SIGINT blocked (a thread pool's mask
    // is inherited across fork and exec): Ctrl-C must still arrive.
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGINT);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL);
}

void mw_interrupt_remove_handler(void) {
    if (!mw_installed) return;
    sigaction(SIGINT, &mw_previous_action, NULL);
    mw_installed = 0;
}

int mw_interrupt_requested(void) { return mw_interrupted != 0; }

void mw_interrupt_set(int on) {
    mw_interrupted = on ? 1 : 0;
    mw_interrupt_sticky = on ? 1 : 0;
    if (on) mw_arm_hooks();
}

void mw_interrupt_consume(void) { mw_interrupted = 0; }

static int mw_loop_depth = 0;

void mw_interrupt_enter_wait(void) { mw_loop_depth++; }

void mw_interrupt_leave_wait(void) { if (mw_loop_depth > 0) mw_loop_depth--; }

int mw_interrupt_wait_depth(void) { return mw_loop_depth; }

int mw_interrupt_seen(void) { return mw_interrupt_sticky != 0; }

static void mw_interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    // One shot: gone once it ran, whether it raises or the interrupt was
    // already dealt with elsewhere (an event-loop wait).
    lua_sethook(L, NULL, 0, 0);
    if (mw_interrupted) {
        // Consumed only by the outermost handler: Lua code of the main chunk
        // (or a coroutine it resumed) with no event-loop wait under way. Inside
        // a wait (a task, a callback) the error stops that code and the wait
        // still sees the flag.
        // A coroutine the main chunk resumed itself counts as the main chunk.
        if (mw_loop_depth == 0) mw_interrupted = 0;
        lua_pushliteral(L, "interrupted");
        lua_error(L);
    }
}

void mw_interrupt_install_hook(lua_State *L) {
    mw_main_L = L;
    if (mw_interrupted) mw_arm_hooks();
}

lua_State *mw_interrupt_running(lua_State *L) {
    lua_State *previous = mw_running_L;
    mw_running_L = L;
    // A Ctrl-C that came while another coroutine ran (or between two
    // resumes) stops this one too.
    if (L && mw_interrupted) lua_sethook(L, mw_interrupt_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
    return previous;
}

void mw_interrupt_forget(lua_State *L) {
    if (mw_main_L == L) mw_main_L = NULL;
    if (mw_running_L == L) mw_running_L = NULL;
}

// coroutine.resume and coroutine.wrap as lcorolib has them (5.4), with the
// resumed coroutine made the one Ctrl-C hooks: a busy loop in a coroutine the
// script made itself stops too.
static int mw_auxresume(lua_State *L, lua_State *co, int narg) {
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    int nres = 0;
    lua_State *previous = mw_interrupt_running(co);
    int status = lua_resume(co, L, narg, &nres);
    mw_interrupt_running(previous);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return -1;
}

static int mw_coresume(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    int r = mw_auxresume(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

static int mw_auxwrap(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = mw_auxresume(L, co, lua_gettop(L));
    if (r < 0) {
        int stat = lua_status(co);
        if (stat != LUA_OK && stat != LUA_YIELD) {
            stat = lua_resetthread(co);  // close its to-be-closed variables
            lua_xmove(co, L, 1);
        }
        if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return r;
}

static int mw_cowrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, mw_auxwrap, 1);
    return 1;
}

void mw_interrupt_open_coroutines(lua_State *L) {
    if (lua_getglobal(L, "coroutine") == LUA_TTABLE) {
        lua_pushcfunction(L, mw_coresume);
        lua_setfield(L, -2, "resume");
        lua_pushcfunction(L, mw_cowrap);
        lua_setfield(L, -2, "wrap");
    }
    lua_pop(L, 1);
}
