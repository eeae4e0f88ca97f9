// CSpawn: the glibc spawn extensions the tests' ChildProcess needs, which
// Swift's Glibc module does not show (they need _GNU_SOURCE).
#ifndef MOONWIRE_CSPAWN_H
#define MOONWIRE_CSPAWN_H

#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np: close every descriptor from `low` up in the child.
int mw_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int low);
/// posix_spawn_file_actions_addchdir_np: the child's working directory.
int mw_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);
/// pipe2(fds, O_CLOEXEC): a pipe no other child inherits.
int mw_pipe_cloexec(int fds[2]);

#endif
