#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

#include <stdint.h>

/// Bit k set where x[k] > 0, for k < 8 (false for a NaN): eight soft bits' line levels for the
/// HDLC decoder, a comparison and a mask move where the compiler makes it one (inlined into
/// Swift callers).
static inline uint8_t cvk_levels8(const float *x) {
    unsigned m = 0;
    for (int k = 0; k < 8; k++) m |= (unsigned)(x[k] > 0) << k;
    return (uint8_t)m;
}

/// Whether this CPU runs the AVX2 kernels (x86-64 with AVX2 and FMA; always 0 elsewhere, and 0 when
/// the environment sets SOUNDSTACK_NO_AVX2 to anything but 0).
int cvk_has_avx2(void);

/// The AX.25 slicer loop (AFSKSlicerLanes.advance) for `nq` eight-lane vectors over `n`
/// samples, in AVX2. `quads` holds `nq` records of 288 bytes laid out as AFSKSlicerLanes.Quad
/// (gainA, gainB, selectA, selectB, step, loop: 8 floats each; sources: 4 int64; phase,
/// previous: 8 floats each). Each sample leaves a record (difference, level: 8 floats;
/// sampled: 8 int32; offset: int64) at `records + (q·capacity + used[q])·recordStride`;
/// `used[q]` moves on when one of the vector's lanes sampled. Same operations, in the same
/// order, as the Swift loop, so the same bits.
void cvk_slicer_advance_avx2(void *quads, intptr_t nq, const float *amplitudes, intptr_t n,
                             void *records, intptr_t recordStride, intptr_t capacity, intptr_t *used);

/// Whether this CPU runs the AVX-512 slicer loop (x86-64 with AVX-512 F, DQ, VL and BW, and
/// the AVX2 kernels on; 0 when the environment sets SOUNDSTACK_NO_AVX512 to anything but 0).
int cvk_has_avx512(void);

/// cvk_slicer_advance_avx2 with sixteen lanes (two vectors) to a register, for two or four
/// vectors on at most four discriminators; same records, same bits. Returns 0 (and does
/// nothing) for any other set-up, which the AVX2 loop then runs.
int cvk_slicer_advance_avx512(void *quads, intptr_t nq, const float *amplitudes, intptr_t n,
                              void *records, intptr_t recordStride, intptr_t capacity, intptr_t *used);

/// The band-pass's dot products in AVX2 and FMA: output `w` is the `taps`-long dot product of
/// the coefficients with `history[first + w·step ...]`, summed in the Swift loop's order (two
/// eight-lane accumulators over the first `taps & ~7` taps, their lanes in order, then the
/// rest one by one) but with each accumulator step a fused multiply-add, so within rounding of
/// the Swift loop, not bit for bit. Four outputs at a time, each summed as one alone.
void cvk_fir_avx2(const float *coefficients, const float *history, intptr_t taps, intptr_t first,
                  intptr_t step, intptr_t outputs, float *out);

/// ToneDiscriminatorBank.process in AVX2 (two windows to a vector): `n` inputs, amplitudes to
/// `out` (window d's mark at [2dn, 2dn + n), space n later); `ring` (`length` × 4 floats),
/// `sums` (`count` × 4 floats), the oscillator (4 doubles), `slot` and `sinceResum` carried
/// across calls. Same operations per lane as the Swift loop, so the same bits.
void cvk_tone_bank_avx2(const float *input, intptr_t n, float *out, float *ring, intptr_t length, float *sums,
                        const intptr_t *windows, const float *scales, intptr_t count, double *oscillator,
                        const double *rotCos, const double *rotSin, intptr_t *slot, intptr_t *sinceResum);

/// ToneMixer.mixTwoTones in AVX2 (products eight samples at a time): `np` partial sums of `d`
/// samples (d a multiple of 4) of `x` against two tones' tables (natural order) into
/// `outRe`/`outIm` (tone 1 at `np` on), and the block's four-lane sample sum into `total`.
/// Same operations per lane, in the same order, as the Swift loop, so the same bits.
void cvk_mix_two_tones_avx2(const float *x, const float *re0, const float *im0, const float *re1,
                            const float *im1, intptr_t d, intptr_t np, float *outRe, float *outIm, float total[4]);

/// BasebandDemodulator's low-pass filters in AVX2: for each of `filters` filters (`length` taps
/// each, `length` odd, one after the other in `taps`, each symmetric: tap j = tap length − 1 − j),
/// output k is Σ_{j < h} taps[j]·(x[k + j] + x[k + length − 1 − j]) + taps[h]·x[k + h], h =
/// length / 2, summed over j in order, written to `out[f·outStride + k]` for k in 0..<outputs.
/// Eight outputs to a vector as the Swift loop (sixteen with AVX-512 when `wide`, which only a
/// CPU where cvk_has_avx512() may ask for), each summed alone, each multiply-add fused: within
/// rounding of the Swift loop, and the same bits with `wide` or without.
void cvk_fir_bank_avx2(const float *x, const float *taps, intptr_t length, intptr_t filters, intptr_t outputs,
                       intptr_t outStride, float *out, int wide);

/// BasebandDemodulator's AGC and slicers in AVX2, for four filters and one group of eight
/// slicers (lane l on filter l mod 4): `filtered` holds the four filters' `n` outputs, filter
/// after filter; `peaks`/`valleys` (4 floats each) are the AGC's; `lanes` is the group's record of
/// 192 bytes laid out as BasebandDemodulator.Lanes (phase, previous, threshold, gain: 8 floats;
/// filter: 8 int32; register: 8 uint32). A lane's soft bit goes to
/// `softs[k·capacity + counts[k]]` and its input index (`base` + i) to `instants`, k =
/// `laneSlicers[l]` (−1: padding, dropped). Same operations, in the same order, as the Swift
/// loops, so the same bits. With `wide` (only where cvk_has_avx512() says so) the same loop
/// compiled for AVX-512, which keeps all of its vectors in registers.
void cvk_baseband_slicers_avx2(const float *filtered, intptr_t n, float *peaks, float *valleys, float attack,
                               float decay, void *lanes, const int32_t *laneSlicers, float step, intptr_t base,
                               float *softs, intptr_t *instants, intptr_t capacity, intptr_t *counts, int wide);

/// Hunts a line-bit stream for a correlation tag: `soft` (> 0 = mark) is NRZI-decoded (no
/// transition = 1) into `*word` (newest bit in the top), `*lastLevel` carrying the last level
/// across calls; stops after the first bit at which `*word` is within `tolerance` bits of one of
/// the `count` words of `tags` (`*found` = 1) or at the end (`*found` = 0). Returns the bits
/// consumed. Compares eight tags at a time with AVX-512 VPOPCNTDQ where the CPU has it (and
/// SOUNDSTACK_NO_AVX512 is not set), else each tag with four bits' words at a time with AVX2
/// (unless SOUNDSTACK_NO_AVX2 is set), else one by one with the CPU's popcount instruction.
intptr_t cvk_tag_hunt(const float *soft, intptr_t n, int *lastLevel, uint64_t *word, const uint64_t *tags,
                      intptr_t count, int tolerance, int *found);

/// The method `cvk_tag_hunt` takes on this CPU: 3 AVX-512 VPOPCNTDQ, 2 AVX2, 1 the popcount
/// instruction, 0 portable.
int cvk_tag_hunt_method(void);

/// `cvk_tag_hunt` by a given method (as `cvk_tag_hunt_method` numbers them; the vector ones
/// hold at most 16 tags), for tests that compare them: -1 for a method this build lacks or
/// that cannot take `count` tags. The caller checks that the CPU has it.
intptr_t cvk_tag_hunt_using(int method, const float *soft, intptr_t n, int *lastLevel, uint64_t *word,
                            const uint64_t *tags, intptr_t count, int tolerance, int *found);

#endif
