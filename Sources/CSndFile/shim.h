#ifndef SOUNDSTACK_CSNDFILE_SHIM_H
#define SOUNDSTACK_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
