#ifndef SOUNDSTACK_CZLIB_SHIM_H
#define SOUNDSTACK_CZLIB_SHIM_H
#include <zlib.h>
#endif
