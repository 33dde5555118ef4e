#ifndef SOUNDSTACK_PSEUDO_TERMINAL_H
#define SOUNDSTACK_PSEUDO_TERMINAL_H

#include <stddef.h>

/// posix_openpt(3), which Swift's Glibc module does not show (it needs _XOPEN_SOURCE).
int soundstack_posix_openpt(int flags);
/// grantpt(3).
int soundstack_grantpt(int fd);
/// unlockpt(3).
int soundstack_unlockpt(int fd);
/// ptsname_r(3): the slave's path into `buffer`; 0 on success, else an errno value.
int soundstack_ptsname(int fd, char *buffer, size_t length);

#endif
