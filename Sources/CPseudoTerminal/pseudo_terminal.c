// The pseudo-terminal calls of POSIX, which Glibc declares only with _XOPEN_SOURCE.
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "pseudo_terminal.h"

int soundstack_posix_openpt(int flags) { return posix_openpt(flags); }

int soundstack_grantpt(int fd) { return grantpt(fd); }

int soundstack_unlockpt(int fd) { return unlockpt(fd); }

int soundstack_ptsname(int fd, char *buffer, size_t length) {
#if defined(__linux__)
    return ptsname_r(fd, buffer, length);
#else
    const char *name = ptsname(fd);
    if (name == NULL) return errno;
    if (strlen(name) + 1 > length) return ERANGE;
    strcpy(buffer, name);
    return 0;
#endif
}
