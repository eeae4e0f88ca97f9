// CShims: the C side of Moonwire's bridges. Lua macros as functions Swift can
// call, the one trampoline through which every Swift function reaches Lua (and
// the only place a Lua error is raised for Swift), and the allocator that
// makes out-of-memory catchable wherever no Swift frame would be skipped.
// CurlShims.h: typed curl setopt/getinfo. REPLShims.h: the REPL's Ctrl-C.
#ifndef MOONWIRE_CSHIMS_H
#define MOONWIRE_CSHIMS_H

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include "CurlLibrary.h"
#include "CurlShims.h"
#include "CurlEpoll.h"
#include "REPLShims.h"

/// Returned by a Swift function called from Lua: the error value is on top of
/// the stack and the trampoline raises it after Swift has returned.
#define MW_RAISE (-1)
/// Returned by a Swift function called from Lua to suspend its coroutine:
/// the trampoline yields (no values) with a continuation; when the coroutine
/// is resumed, the continuation asks Swift (mw_continue_fn) to go on, which
/// returns results, MW_RAISE or MW_YIELD again.
#define MW_YIELD (-2)

/// Swift side of the trampoline: runs the function in `box` and returns the
/// number of results, or MW_RAISE. Must never raise a Lua error itself.
typedef int (*mw_dispatch_fn)(lua_State *L, void *box);
/// Releases a Swift object kept alive by a Lua userdata (called from __gc).
typedef void (*mw_release_fn)(void *box);

/// Swift side of a continuation: goes on with the suspended Swift function of
/// thread L. Same return values as mw_dispatch_fn.
typedef int (*mw_continue_fn)(lua_State *L);

/// Installs the Swift dispatcher, releaser and continuation; called once per process.
void mw_install(mw_dispatch_fn dispatch, mw_release_fn release, mw_continue_fn cont);

/// A new state with the standard libraries and Moonwire's allocator: an
/// allocation that fails (or passes the memory limit) while Lua code runs
/// with no Swift frame above its protected call raises the catchable
/// "not enough memory"; with a Swift frame in between it aborts, so no
/// allocation inside a Swift frame can longjmp.
lua_State *mw_newstate(void);
/// mw_newstate, and with `ignore_environment` as lua -E: LUA_NOENV set before
/// the libraries open, so package.path/cpath ignore LUA_PATH* and LUA_CPATH*.
lua_State *mw_newstate_env(int ignore_environment);
/// Closes a state made by mw_newstate and frees its allocator's accounting.
void mw_close(lua_State *L);
/// Bytes past which Lua code's allocations fail with "not enough memory"
/// (0: no limit). Swift's own allocations in the state are never refused.
void mw_set_memory_limit(lua_State *L, size_t bytes);
/// lua_pcall for Swift: Lua code under it may get catchable memory errors.
int mw_pcall(lua_State *L, int nargs, int nresults, int msgh);
/// lua_resume for Swift, likewise.
int mw_resume(lua_State *L, lua_State *from, int nargs, int *nresults);
/// LUA_COPYRIGHT, for `moonwire -v` (a macro Swift cannot import).
const char *mw_lua_copyright(void);
/// LUA_COPYRIGHT of the liblua linked at run time (from its lua_ident), copied
/// into `buffer`; returns its length (0 if lua_ident has no version).
size_t mw_linked_copyright(char *buffer, size_t size);
/// luaL_loadfilex(L, path, NULL): a path (NULL: standard input) loaded as
/// lua.c loads its script: a UTF-8 byte-order mark and a first `#` line are
/// skipped, and precompiled chunks (luac output) are accepted.
int mw_loadfile(lua_State *L, const char *path);

/// Pushes a C closure that calls the Swift function held (retained) by `box`.
/// The box is released when the closure is collected or the state is closed.
void mw_push_swift_function(lua_State *L, void *box);

/// Creates the metatable `tname` in the registry if missing; leaves it on the
/// stack. Its __gc releases the boxed Swift object of userdata made by
/// mw_new_object. Returns 1 if it was created.
int mw_object_metatable(lua_State *L, const char *tname);
/// Pushes a new userdata that owns `box`, with metatable `tname`.
void mw_new_object(lua_State *L, void *box, const char *tname);
/// The box of the userdata at `idx` if its metatable is `tname`, else NULL.
void *mw_test_object(lua_State *L, int idx, const char *tname);

/// Pushes lauxlib's argument-error message (`bad argument #1 to 'f' (...)`),
/// prefixed with the caller's position, without raising it.
void mw_push_argerror(lua_State *L, int arg, const char *extramsg, const char *fname);
/// Pushes `msg` prefixed with the position of the Lua code at `level`.
void mw_push_where_message(lua_State *L, int level, const char *msg);
/// Message handler for lua_pcall: turns the error into a string with a
/// traceback, as lua.c does, keeping error objects that have __tostring readable.
int mw_traceback_handler(lua_State *L);
/// Calls `nargs` arguments below the function on top with mw_traceback_handler.
int mw_pcall_traceback(lua_State *L, int nargs, int nresults);
/// mw_pcall_traceback from inside a C function's frame, as lua.c runs its
/// chunks from pmain: a traceback ends with "[C]: in ?" as lua's does.
int mw_pcall_main(lua_State *L, int nargs, int nresults);
/// lua.c's pushargs in a protected call: pushes arg[1..#arg] of the global
/// `arg` (count in *count), or fails with "'arg' is not a table" (error pushed).
int mw_pushargs(lua_State *L, int *count);
/// Pushes luaL_tolstring of the value at `idx` (__tostring, __name) in a
/// protected call; returns its status (on failure the error is pushed).
int mw_pcall_tolstring(lua_State *L, int idx);

/// Pushes onto L the traceback of thread `co` (a coroutine that stopped with
/// an error, the error value on its top), headed by the error's text, in a
/// protected call; returns its status (on failure the error is pushed).
int mw_push_thread_traceback(lua_State *L, lua_State *co);

/// The name of the type of the value at `idx`, using __name for userdata/tables.
const char *mw_typename(lua_State *L, int idx);

// Lua macros as functions.
static inline int mw_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int mw_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void mw_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void mw_newtable(lua_State *L) { lua_newtable(L); }
static inline const char *mw_tolstring(lua_State *L, int idx, size_t *len) { return lua_tolstring(L, idx, len); }
static inline lua_Number mw_tonumber(lua_State *L, int idx, int *isnum) { return lua_tonumberx(L, idx, isnum); }
static inline lua_Integer mw_tointeger(lua_State *L, int idx, int *isnum) { return lua_tointegerx(L, idx, isnum); }
static inline void mw_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void mw_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void mw_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline int mw_isnoneornil(lua_State *L, int idx) { return lua_isnoneornil(L, idx); }
static inline void *mw_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
static inline int mw_getmetatable_registry(lua_State *L, const char *tname) { return luaL_getmetatable(L, tname); }
static inline void mw_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
/// The pointer-sized slot every thread of a state shares a copy of: the host.
static inline void **mw_extraspace(lua_State *L) { return (void **)lua_getextraspace(L); }

#endif
