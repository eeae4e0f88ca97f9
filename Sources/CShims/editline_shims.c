// libedit settings for the REPL: readline's configuration is global
// variables, which Swift 6 will not touch, so they are set here. See REPLShims.h.
#include "REPLShims.h"
#include <stdlib.h>
#include <string.h>
#include <editline/readline.h>

static mw_completion_fn mw_completer = NULL;

// readline's completion callback: the candidates come from Swift; never fall
// back to file names.
static char **mw_attempt_completion(const char *text, int start, int end) {
    (void)start; (void)end;
    rl_attempted_completion_over = 1;
    return mw_completer ? mw_completer(text) : NULL;
}

void mw_editline_configure(const char *name, const char *word_breaks, mw_completion_fn completer) {
    rl_catch_signals = 0;  // the REPL's own SIGINT handler decides
    rl_readline_name = strdup(name);
    // libedit reads rl_basic_word_break_characters; GNU readline the other one.
    char *breaks = strdup(word_breaks);
    rl_basic_word_break_characters = breaks;
    rl_completer_word_break_characters = breaks;
    mw_completer = completer;
    rl_attempted_completion_function = mw_attempt_completion;
    rl_completion_append_character = '\0';
}
