// The PulseAudio client library through dlopen: a program that never touches a sound card
// never loads it (with the libraries it brings: D-Bus, X11, systemd… about 1.5 ms of
// every start), and one on a machine without it still runs, and says what is missing when
// a sound card is asked for.
#include "CPulse.h"

#include <dlfcn.h>
#include <pthread.h>

// Every function: its result type, name, parameters, and the arguments passed on (V: those
// that return nothing).
#define CPULSE_FUNCTIONS(X, V)                                                                                       \
    X(pa_mainloop *, mainloop_new, (void), ())                                                                       \
    V(mainloop_free, (pa_mainloop * m), (m))                                                                         \
    X(pa_mainloop_api *, mainloop_get_api, (pa_mainloop * m), (m))                                                   \
    X(int, mainloop_iterate, (pa_mainloop * m, int block, int *retval), (m, block, retval))                          \
    X(pa_context *, context_new, (pa_mainloop_api * api, const char *name), (api, name))                             \
    X(int, context_connect, (pa_context * c, const char *server, pa_context_flags_t flags, const pa_spawn_api *api), \
      (c, server, flags, api))                                                                                       \
    V(context_disconnect, (pa_context * c), (c))                                                                     \
    V(context_unref, (pa_context * c), (c))                                                                          \
    X(int, context_errno, (const pa_context *c), (c))                                                                \
    X(pa_context_state_t, context_get_state, (const pa_context *c), (c))                                             \
    X(pa_operation *, context_get_server_info, (pa_context * c, pa_server_info_cb_t cb, void *userdata),             \
      (c, cb, userdata))                                                                                             \
    X(pa_operation *, context_get_sink_info_list, (pa_context * c, pa_sink_info_cb_t cb, void *userdata),            \
      (c, cb, userdata))                                                                                             \
    X(pa_operation *, context_get_source_info_list, (pa_context * c, pa_source_info_cb_t cb, void *userdata),        \
      (c, cb, userdata))                                                                                             \
    X(pa_operation_state_t, operation_get_state, (const pa_operation *o), (o))                                       \
    V(operation_unref, (pa_operation * o), (o))                                                                      \
    X(const char *, strerror, (int error), (error))                                                                  \
    X(pa_simple *, simple_new,                                                                                       \
      (const char *server, const char *name, pa_stream_direction_t dir, const char *dev, const char *stream_name,    \
       const pa_sample_spec *ss, const pa_channel_map *map, const pa_buffer_attr *attr, int *error),                 \
      (server, name, dir, dev, stream_name, ss, map, attr, error))                                                   \
    V(simple_free, (pa_simple * s), (s))                                                                             \
    X(int, simple_write, (pa_simple * s, const void *data, size_t bytes, int *error), (s, data, bytes, error))       \
    X(int, simple_read, (pa_simple * s, void *data, size_t bytes, int *error), (s, data, bytes, error))              \
    X(int, simple_drain, (pa_simple * s, int *error), (s, error))                                                    \
    X(pa_usec_t, simple_get_latency, (pa_simple * s, int *error), (s, error))

// The pointers, filled by load_once.
#define CPULSE_POINTER(type, name, params, args) static type(*p_##name) params;
#define CPULSE_VOID_POINTER(name, params, args) static void(*p_##name) params;
CPULSE_FUNCTIONS(CPULSE_POINTER, CPULSE_VOID_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure = "not loaded";

static void load_once(void) {
    // By its ABI name (the unversioned .so is only in the -dev package). libpulse comes with
    // it, and a look-up in its handle finds libpulse's functions too.
    void *simple = dlopen("libpulse-simple.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!simple) {
        failure = "the PulseAudio client library (libpulse-simple.so.0, Debian's libpulse0) is not installed";
        return;
    }
#define CPULSE_LOOKUP(type, name, params, args)                                                                      \
    p_##name = (type(*) params)dlsym(simple, "pa_" #name);                                                           \
    if (!p_##name) {                                                                                                 \
        failure = "the PulseAudio client library has no pa_" #name;                                                  \
        return;                                                                                                      \
    }
#define CPULSE_VOID_LOOKUP(name, params, args) CPULSE_LOOKUP(void, name, params, args)
    CPULSE_FUNCTIONS(CPULSE_LOOKUP, CPULSE_VOID_LOOKUP)
    failure = NULL;
}

int cpulse_load(const char **reason) {
    pthread_once(&once, load_once);
    if (reason) *reason = failure;
    return failure ? -1 : 0;
}

#define CPULSE_WRAPPER(type, name, params, args)                                                                     \
    type cpulse_##name params { return p_##name args; }
#define CPULSE_VOID_WRAPPER(name, params, args)                                                                      \
    void cpulse_##name params { p_##name args; }
CPULSE_FUNCTIONS(CPULSE_WRAPPER, CPULSE_VOID_WRAPPER)
