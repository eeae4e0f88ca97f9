// C for the interactive REPL (Sources/REPL): Ctrl-C handling, libedit's
// settings and the C standard streams, which Swift 6 cannot name as globals.
#ifndef MOONWIRE_REPLSHIMS_H
#define MOONWIRE_REPLSHIMS_H

#include <lua.h>
#include <stdio.h>

// ---------------------------------------------------------------------------
// Interrupts (Ctrl-C)
//
// A process-wide pending flag, set by a SIGINT handler written in C (a signal
// handler must not run Swift). One Ctrl-C is one interruption, as in lua.c:
// the first to act on the flag clears it:
//   - EventLoop.run returns .interrupted, and the waiting llm call raises
//     "interrupted" after cancelling what it waited for;
//   - a Lua hook raises the error "interrupted" inside running Lua code. It
//     is set by the SIGINT handler itself, on the main thread and on the task
//     being resumed (as lua.c's laction), and removes itself when it runs, so
//     no hook costs anything until Ctrl-C (issue 11). The raise happens in the
//     hook, C called by Lua, so no Swift frame is ever crossed by the longjmp.
// A second, sticky flag (mw_interrupt_seen) tells the REPL that Ctrl-C came
// during an evaluation.
// A second SIGINT within a second restores the terminal and exits 130, for
// code stuck where neither check runs.
// ---------------------------------------------------------------------------

/// Installs the SIGINT handler (no SA_RESTART, so a blocking read or poll
/// returns EINTR at once), unblocks SIGINT for the calling thread, and
/// remembers the terminal settings of `tty_fd` (if it is a terminal) for the
/// double Ctrl-C exit. Idempotent.
void mw_interrupt_install_handler(int tty_fd);
/// Puts back the SIGINT disposition that was in place before.
void mw_interrupt_remove_handler(void);

/// Nonzero once Ctrl-C was pressed, until acted on or cleared.
int mw_interrupt_requested(void);
/// Sets or clears the pending flag; clearing also clears the sticky one (the
/// REPL clears both before each evaluation).
void mw_interrupt_set(int on);
/// Acts on a pending interrupt: clears it; the sticky flag stays.
void mw_interrupt_consume(void);
/// The event loop is waiting (nested waits count): an interrupt is consumed
/// only by the outermost wait, or by the hook outside any wait on the main thread.
void mw_interrupt_enter_wait(void);
void mw_interrupt_leave_wait(void);
int mw_interrupt_wait_depth(void);
/// Nonzero if Ctrl-C was pressed since the flags were last cleared.
int mw_interrupt_seen(void);

/// Installs, on `L` (and so on every coroutine created from it later), a count
/// hook that raises "interrupted" once for a pending interrupt.
void mw_interrupt_install_hook(lua_State *L);
/// The coroutine the host is about to resume (NULL after): Ctrl-C hooks it too.
/// Returns the one it replaces, to restore after the resume.
lua_State *mw_interrupt_running(lua_State *L);
/// The state is closing: the SIGINT handler must not touch it any more.
void mw_interrupt_forget(lua_State *L);
/// coroutine.resume / wrap that tell the handler which coroutine runs (lcorolib's own, otherwise).
void mw_interrupt_open_coroutines(lua_State *L);

// ---------------------------------------------------------------------------
// libedit (editline_shims.c)
//
// readline's settings are global variables, which Swift 6 cannot assign; this
// header uses only plain C types so it does not pull <editline/readline.h>
// into every module that imports CShims.
// ---------------------------------------------------------------------------

/// Returns the candidates for `text`: a malloc'd NULL-terminated array of
/// malloc'd strings, first the text that replaces the word, or NULL.
typedef char **(*mw_completion_fn)(const char *text);

/// Sets rl_catch_signals = 0, the readline name (for ~/.editrc), the word
/// break characters, and `completer` as the only source of completions.
void mw_editline_configure(const char *name, const char *word_breaks, mw_completion_fn completer);

// ---------------------------------------------------------------------------
// Standard streams
// ---------------------------------------------------------------------------

/// C's stdin, shared with Lua's io library, so a piped REPL and io.read
/// consume the same buffered input.
static inline FILE *mw_stdin(void) { return stdin; }
static inline FILE *mw_stdout(void) { return stdout; }

#endif
