#ifndef SOUNDSTACK_CPULSE_SHIM_H
#define SOUNDSTACK_CPULSE_SHIM_H
#include <pulse/pulseaudio.h>
#include <pulse/simple.h>
#include <pulse/error.h>
#endif
