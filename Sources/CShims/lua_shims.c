#include "CShims.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mw_dispatch_fn mw_dispatch = NULL;
static mw_release_fn mw_release = NULL;
static mw_continue_fn mw_continue = NULL;

void mw_install(mw_dispatch_fn dispatch, mw_release_fn release, mw_continue_fn cont) {
    mw_dispatch = dispatch;
    mw_release = release;
    mw_continue = cont;
}

// Whether a Swift frame is on this thread's C stack above the innermost
// protected call. A Lua error longjmps to that call's setjmp, so an allocation
// may fail with a catchable "not enough memory" only while this is 0; with
// Swift in between it must not return NULL (issue 11). Swift starts the
// thread (1); every protected call and resume made for Swift sets 0 for its
// duration, and the trampoline sets 1 while Swift runs.
static _Thread_local int mw_swift_on_stack = 1;

// The heap a state's allocator accounts for: bytes Lua holds and an optional
// limit (0: none) past which Lua code gets "not enough memory".
typedef struct {
    size_t used;
    size_t limit;
} mw_heap;

static void *mw_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    mw_heap *heap = (mw_heap *)ud;
    size_t old = ptr ? osize : 0;  // for a new block osize is a type tag
    if (nsize == 0) {
        free(ptr);
        heap->used -= old;
        return NULL;
    }
    int catchable = !mw_swift_on_stack;
    // The limit binds Lua code only: Swift frames never see a NULL, so while
    // Swift runs the heap may pass the limit and the next Lua allocation fails.
    if (catchable && heap->limit && nsize > old && heap->used + (nsize - old) > heap->limit) return NULL;
    void *p = realloc(ptr, nsize);
    if (p == NULL) {
        if (catchable) return NULL;  // Lua raises "not enough memory"; no Swift frame is skipped
        fprintf(stderr, "moonwire: out of memory (allocating %zu bytes)\n", nsize);
        abort();
    }
    heap->used = heap->used - old + nsize;
    return p;
}

static mw_heap *mw_heap_of(lua_State *L) {
    void *ud = NULL;
    lua_Alloc f = lua_getallocf(L, &ud);
    return f == mw_alloc ? (mw_heap *)ud : NULL;
}

void mw_set_memory_limit(lua_State *L, size_t bytes) {
    mw_heap *heap = mw_heap_of(L);
    if (heap) heap->limit = bytes;
}

void mw_close(lua_State *L) {
    mw_heap *heap = mw_heap_of(L);
    lua_close(L);
    free(heap);
}

int mw_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    int saved = mw_swift_on_stack;
    mw_swift_on_stack = 0;
    int status = lua_pcall(L, nargs, nresults, msgh);
    mw_swift_on_stack = saved;
    return status;
}

int mw_resume(lua_State *L, lua_State *from, int nargs, int *nresults) {
    int saved = mw_swift_on_stack;
    mw_swift_on_stack = 0;
    int status = lua_resume(L, from, nargs, nresults);
    mw_swift_on_stack = saved;
    return status;
}

const char *mw_lua_copyright(void) { return LUA_COPYRIGHT; }

// lua_ident, from the liblua actually linked: "$LuaVersion: " LUA_COPYRIGHT " $" ...
size_t mw_linked_copyright(char *buffer, size_t size) {
    static const char head[] = "$LuaVersion: ";
    const char *start = strstr(lua_ident, head);
    if (start == NULL || size == 0) return 0;
    start += sizeof head - 1;
    const char *end = strstr(start, " $");
    size_t n = end ? (size_t)(end - start) : strlen(start);
    if (n >= size) n = size - 1;
    memcpy(buffer, start, n);
    buffer[n] = '\0';
    return n;
}

int mw_loadfile(lua_State *L, const char *path) {
    return luaL_loadfilex(L, path, NULL);
}

lua_State *mw_newstate(void) { return mw_newstate_env(0); }

lua_State *mw_newstate_env(int ignore_environment) {
    lua_State *L = luaL_newstate();  // sets lauxlib's panic and warning functions
    if (L == NULL) return NULL;
    mw_heap *heap = calloc(1, sizeof *heap);
    if (heap == NULL) { lua_close(L); return NULL; }
    // What luaL_newstate allocated so far, as Lua counts it.
    heap->used = (size_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB, 0);
    lua_setallocf(L, mw_alloc, heap);
    if (ignore_environment) {  // lua -E: package.path and cpath ignore LUA_PATH*, LUA_CPATH*
        lua_pushboolean(L, 1);
        lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
    }
    luaL_openlibs(L);
    lua_gc(L, LUA_GCGEN, 0, 0);  // as lua.c 5.4 does at start (issue 11)
    mw_interrupt_open_coroutines(L);
    return L;
}

#define MW_BOX_META "moonwire.SwiftFunction"

// Runs Swift's release of a boxed object, marked as a Swift frame.
static void mw_release_marked(void **slot) {
    if (!slot || !*slot) return;
    int saved = mw_swift_on_stack;
    mw_swift_on_stack = 1;
    mw_release(*slot);
    *slot = NULL;
    mw_swift_on_stack = saved;
}

static int mw_box_gc(lua_State *L) {
    mw_release_marked((void **)lua_touserdata(L, 1));
    return 0;
}

// Runs when a coroutine suspended by MW_YIELD is resumed: Swift goes on.
static int mw_continuation(lua_State *L, int status, lua_KContext ctx) {
    (void)status; (void)ctx;
    int saved = mw_swift_on_stack;
    mw_swift_on_stack = 1;
    int n = mw_continue(L);
    mw_swift_on_stack = saved;
    if (n == MW_RAISE) return lua_error(L);
    if (n == MW_YIELD) return lua_yieldk(L, 0, 0, mw_continuation);
    return n;
}

static int mw_trampoline(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
    int saved = mw_swift_on_stack;
    mw_swift_on_stack = 1;
    int n = mw_dispatch(L, *slot);
    mw_swift_on_stack = saved;
    if (n == MW_RAISE) return lua_error(L);  // Swift has returned: safe to longjmp
    if (n == MW_YIELD) return lua_yieldk(L, 0, 0, mw_continuation);  // likewise
    return n;
}

void mw_push_swift_function(lua_State *L, void *box) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    if (luaL_newmetatable(L, MW_BOX_META)) {
        lua_pushcfunction(L, mw_box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "private");
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, mw_trampoline, 1);
}

static int mw_object_gc(lua_State *L) {
    mw_release_marked((void **)lua_touserdata(L, 1));
    return 0;
}

int mw_object_metatable(lua_State *L, const char *tname) {
    if (!luaL_newmetatable(L, tname)) return 0;
    lua_pushcfunction(L, mw_object_gc);
    lua_setfield(L, -2, "__gc");
    return 1;
}

void mw_new_object(lua_State *L, void *box, const char *tname) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    mw_object_metatable(L, tname);
    lua_setmetatable(L, -2);
}

void *mw_test_object(lua_State *L, int idx, const char *tname) {
    void **slot = (void **)luaL_testudata(L, idx, tname);
    return slot ? *slot : NULL;
}

const char *mw_typename(lua_State *L, int idx) {
    int t = luaL_getmetafield(L, idx, "__name");
    if (t == LUA_TSTRING) {
        const char *name = lua_tostring(L, -1);
        lua_pop(L, 1);  // still referenced by the metatable
        return name;
    }
    if (t != LUA_TNIL) lua_pop(L, 1);
    if (lua_type(L, idx) == LUA_TLIGHTUSERDATA) return "light userdata";
    return luaL_typename(L, idx);
}

void mw_push_where_message(lua_State *L, int level, const char *msg) {
    luaL_where(L, level);
    lua_pushstring(L, msg);
    lua_concat(L, 2);  // two plain strings: no metamethod can run
}

void mw_push_argerror(lua_State *L, int arg, const char *extramsg, const char *fname) {
    lua_Debug ar;
    const char *name = fname;
    if (lua_getstack(L, 0, &ar)) {
        lua_getinfo(L, "n", &ar);
        if (ar.namewhat && strcmp(ar.namewhat, "method") == 0) {
            arg--;
            if (arg == 0) {
                luaL_where(L, 1);
                lua_pushfstring(L, "calling '%s' on bad self (%s)", ar.name ? ar.name : fname, extramsg);
                lua_concat(L, 2);
                return;
            }
        }
        if (ar.name) name = ar.name;
    }
    luaL_where(L, 1);
    lua_pushfstring(L, "bad argument #%d to '%s' (%s)", arg, name, extramsg);
    lua_concat(L, 2);
}

// The text of the error value at `idx`: a string (or number), its __tostring,
// or a note of its type; may push one value. Only for protected code.
static const char *mw_error_text(lua_State *L, int idx) {
    const char *msg = lua_tostring(L, idx);
    if (msg != NULL) return msg;
    if (luaL_callmeta(L, idx, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return lua_tostring(L, -1);
    return lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, idx));
}

// lua.c's msghandler: an error object with __tostring is its own message,
// with no traceback (issue 11); anything else gets one.
int mw_traceback_handler(lua_State *L) {
    if (lua_tostring(L, 1) == NULL && luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    luaL_traceback(L, L, mw_error_text(L, 1), 1);
    return 1;
}

int mw_pcall_traceback(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, mw_traceback_handler);
    lua_insert(L, base);
    int status = mw_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    return status;
}

// lua.c runs every chunk from pmain, a C function under lua_pcall, so a
// traceback ends with that frame ("[C]: in ?"). This is that frame: index 1
// holds nresults, then the function and its arguments.
static int mw_main_frame(lua_State *L) {
    int nresults = (int)lua_tointeger(L, 1);
    lua_pushcfunction(L, mw_traceback_handler);
    lua_replace(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 2, nresults, 1);
    lua_remove(L, 1);
    luaL_checkstack(L, 1, NULL);
    lua_pushinteger(L, status);
    lua_insert(L, 1);
    return lua_gettop(L);
}

int mw_pcall_main(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;
    if (!lua_checkstack(L, 2)) return mw_pcall_traceback(L, nargs, nresults);
    lua_pushcfunction(L, mw_main_frame);
    lua_insert(L, base);
    lua_pushinteger(L, nresults);
    lua_insert(L, base + 1);
    int status = mw_pcall(L, nargs + 2, LUA_MULTRET, 0);
    if (status != LUA_OK) return status;  // the frame itself failed (no memory): the error is on top
    status = (int)lua_tointeger(L, base);
    lua_remove(L, base);
    return status;
}

// lua.c's pushargs: the script's arguments are arg[1..#arg] of the global
// `arg` as it is when the script starts.
static int mw_pushargs_body(lua_State *L) {
    int i, n;
    if (lua_getglobal(L, "arg") != LUA_TTABLE)
        luaL_error(L, "'arg' is not a table");
    n = (int)luaL_len(L, -1);
    luaL_checkstack(L, n + 3, "too many arguments to script");
    for (i = 1; i <= n; i++)
        lua_rawgeti(L, -i, i);
    lua_remove(L, -i);
    return n;
}

int mw_pushargs(lua_State *L, int *count) {
    int top = lua_gettop(L);
    lua_pushcfunction(L, mw_pushargs_body);
    int status = mw_pcall(L, 0, LUA_MULTRET, 0);
    *count = status == LUA_OK ? lua_gettop(L) - top : 0;
    return status;
}

// luaL_tolstring in a protected call (lua.c's get_prompt applies it to _PROMPT).
static int mw_tolstring_body(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int mw_pcall_tolstring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, mw_tolstring_body);
    lua_pushvalue(L, idx);
    return mw_pcall(L, 1, 1, 0);
}

static int mw_traceback_of(lua_State *L) {
    lua_State *co = (lua_State *)lua_touserdata(L, 1);
    luaL_traceback(L, co, mw_error_text(L, 2), 0);
    return 1;
}

int mw_push_thread_traceback(lua_State *L, lua_State *co) {
    if (!lua_checkstack(L, 4) || !lua_checkstack(co, 1)) return LUA_ERRMEM;
    lua_pushcfunction(L, mw_traceback_of);
    lua_pushlightuserdata(L, co);
    lua_pushvalue(co, -1);
    lua_xmove(co, L, 1);
    return mw_pcall(L, 2, 1, 0);
}
