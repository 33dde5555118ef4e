#ifndef SOUNDSTACK_CPULSE_H
#define SOUNDSTACK_CPULSE_H
// The PulseAudio client library (also served by PipeWire), loaded when a sound card is first
// used rather than at every start: the types and constants from its headers, its functions
// through cpulse_load() and the cpulse_ wrappers below (one per pa_ function SoundStack calls,
// same arguments).
#include <pulse/error.h>
#include <pulse/pulseaudio.h>
#include <pulse/simple.h>

/// Loads libpulse and libpulse-simple once (later calls return the first answer): 0 when
/// every function was found; otherwise -1, `*reason` saying why (a static string). No
/// cpulse_ function but this one may be called before it returned 0.
int cpulse_load(const char **reason);

pa_mainloop *cpulse_mainloop_new(void);
void cpulse_mainloop_free(pa_mainloop *m);
pa_mainloop_api *cpulse_mainloop_get_api(pa_mainloop *m);
int cpulse_mainloop_iterate(pa_mainloop *m, int block, int *retval);
pa_context *cpulse_context_new(pa_mainloop_api *api, const char *name);
int cpulse_context_connect(pa_context *c, const char *server, pa_context_flags_t flags, const pa_spawn_api *api);
void cpulse_context_disconnect(pa_context *c);
void cpulse_context_unref(pa_context *c);
int cpulse_context_errno(const pa_context *c);
pa_context_state_t cpulse_context_get_state(const pa_context *c);
pa_operation *cpulse_context_get_server_info(pa_context *c, pa_server_info_cb_t cb, void *userdata);
pa_operation *cpulse_context_get_sink_info_list(pa_context *c, pa_sink_info_cb_t cb, void *userdata);
pa_operation *cpulse_context_get_source_info_list(pa_context *c, pa_source_info_cb_t cb, void *userdata);
pa_operation_state_t cpulse_operation_get_state(const pa_operation *o);
void cpulse_operation_unref(pa_operation *o);
const char *cpulse_strerror(int error);
pa_simple *cpulse_simple_new(const char *server, const char *name, pa_stream_direction_t dir, const char *dev,
                             const char *stream_name, const pa_sample_spec *ss, const pa_channel_map *map,
                             const pa_buffer_attr *attr, int *error);
void cpulse_simple_free(pa_simple *s);
int cpulse_simple_write(pa_simple *s, const void *data, size_t bytes, int *error);
int cpulse_simple_read(pa_simple *s, void *data, size_t bytes, int *error);
int cpulse_simple_drain(pa_simple *s, int *error);
pa_usec_t cpulse_simple_get_latency(pa_simple *s, int *error);

#endif
