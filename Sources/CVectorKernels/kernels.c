// AVX2 (and, for the slicers, AVX-512) versions of the AX.25 receiver's hottest loops, chosen
// at run time. Plain lane-wise arithmetic with no contraction (no FMA), so each lane's value is
// bit for bit that of the portable Swift loop; the exceptions are the dot products of the
// band-pass (cvk_fir_avx2) and of the baseband low-pass bank (cvk_fir_bank_avx2), which fuse
// each multiply-add (a portable fused multiply-add is a library call per lane, slower than the
// loop it would replace): within rounding of the Swift loops.
#include "CVectorKernels.h"
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#pragma clang fp contract(off)

#if defined(__x86_64__)

typedef float f8 __attribute__((vector_size(32), aligned(4)));
typedef int32_t i8 __attribute__((vector_size(32), aligned(4)));

#define AVX2 __attribute__((target("avx2")))
#define FMA __attribute__((target("avx2,fma")))

int cvk_has_avx2(void) {
    // SOUNDSTACK_NO_AVX2=1 runs the portable loops (for benchmarks side by side).
    const char *off = getenv("SOUNDSTACK_NO_AVX2");
    if (off && *off && *off != '0') return 0;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? 1 : 0;
}

typedef struct {
    float gainA[8], gainB[8], selectA[8], selectB[8], step[8], loop[8];
    int64_t sources[4];
    float phase[8], previous[8];
} Quad;

_Static_assert(sizeof(Quad) == 288, "Quad layout");

static inline AVX2 f8 load8(const float *p) { f8 v; memcpy(&v, p, sizeof v); return v; }
static inline AVX2 void store8(float *p, f8 v) { memcpy(p, &v, sizeof v); }
/// `where ? a : b`, lane by lane, by bits.
static inline AVX2 f8 pick(i8 where, f8 a, f8 b) {
    return (f8)((where & (i8)a) | (~where & (i8)b));
}
static inline AVX2 f8 halves(float lo, float hi) { return (f8){lo, lo, lo, lo, hi, hi, hi, hi}; }

/// Samples per chunk of rows.
enum { ROW_CHUNK = 256 };

/// Where the eight amplitudes of a row come from: discriminator d's mark values (planes 0–3)
/// and space values (planes 4–7); NULL for discriminators that do not exist (read as 0).
static inline void row_planes(const float *plane[8], const float *ap, intptr_t n, int planes) {
    for (int p = 0; p < 8; p++) {
        int d = p & 3;
        plane[p] = d < planes ? ap + 2 * d * n + (p >= 4 ? n : 0) : NULL;
    }
}

/// Samples `i0 ..< i0 + m` as rows of eight amplitudes: 8×8 transposes, then the rest one by one.
static inline __attribute__((always_inline)) AVX2 void
rows_of_chunk(const float *const plane[8], intptr_t i0, intptr_t m, float *rows) {
    const __m256 zero = _mm256_setzero_ps();
    intptr_t j = 0;
    for (; j + 8 <= m; j += 8) {
        __m256 r[8];
        for (int p = 0; p < 8; p++) r[p] = plane[p] ? _mm256_loadu_ps(plane[p] + i0 + j) : zero;
        __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
        __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
        __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
        __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
        __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
        __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
        __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
        __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
        float *o = rows + 8 * j;
        _mm256_store_ps(o + 0, _mm256_permute2f128_ps(s0, s4, 0x20));
        _mm256_store_ps(o + 8, _mm256_permute2f128_ps(s1, s5, 0x20));
        _mm256_store_ps(o + 16, _mm256_permute2f128_ps(s2, s6, 0x20));
        _mm256_store_ps(o + 24, _mm256_permute2f128_ps(s3, s7, 0x20));
        _mm256_store_ps(o + 32, _mm256_permute2f128_ps(s0, s4, 0x31));
        _mm256_store_ps(o + 40, _mm256_permute2f128_ps(s1, s5, 0x31));
        _mm256_store_ps(o + 48, _mm256_permute2f128_ps(s2, s6, 0x31));
        _mm256_store_ps(o + 56, _mm256_permute2f128_ps(s3, s7, 0x31));
    }
    for (; j < m; j++)
        for (int p = 0; p < 8; p++) rows[8 * j + p] = plane[p] ? plane[p][i0 + j] : 0;
}

/// The lanes' discriminator picks of one vector: `mark[l]` = the source of lane l's mark
/// amplitude in a row, `space[l]` = that of its space amplitude (4 + the same source).
static inline void lane_picks(const Quad *c, int32_t mark[8], int32_t space[8]) {
    for (int l = 0; l < 8; l++) {
        int32_t src = (int32_t)c->sources[(l / 4) * 2 + (c->gainA[l] != 0 || c->selectA[l] != 0 ? 0 : 1)];
        mark[l] = src;
        space[l] = 4 + src;
    }
}

/// The number of discriminators the vectors read (the largest source + 1).
static inline int64_t planes_read(const Quad *qp, intptr_t nq) {
    int64_t planes = 0;
    for (intptr_t q = 0; q < nq; q++)
        for (int h = 0; h < 4; h++)
            if (qp[q].sources[h] + 1 > planes) planes = qp[q].sources[h] + 1;
    return planes;
}

/// The slicer loop for at most four vectors fed by at most four discriminators. Each sample's
/// eight amplitudes (the discriminators' mark values, then their space values) are first
/// gathered into one row; a vector's lanes then pick theirs with one permutation each. A
/// lane's mark input `gain·m` equals the general loop's `gainA·ma + gainB·mb` (the other
/// gain is 0) and its space input `select·s` equals `selectA·sa + selectB·sb`, so the bits
/// are the same. The loop state stays in registers for the whole block.
static inline __attribute__((always_inline)) AVX2 void
slicer_rows(Quad *qp, const int nq, const float *ap, intptr_t n, char *rp, intptr_t stride, intptr_t cap,
            intptr_t *used, int planes) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1), zero = _mm256_setzero_ps();
    __m256 gain[4], select[4], step[4], loop[4], phase[4], previous[4];
    __m256i pickM[4], pickS[4];
    intptr_t u[4];
    for (int q = 0; q < nq; q++) {
        Quad *c = qp + q;
        gain[q] = _mm256_add_ps(_mm256_loadu_ps(c->gainA), _mm256_loadu_ps(c->gainB));
        select[q] = _mm256_add_ps(_mm256_loadu_ps(c->selectA), _mm256_loadu_ps(c->selectB));
        step[q] = _mm256_loadu_ps(c->step);
        loop[q] = _mm256_loadu_ps(c->loop);
        phase[q] = _mm256_loadu_ps(c->phase);
        previous[q] = _mm256_loadu_ps(c->previous);
        int32_t m[8], s[8];
        lane_picks(c, m, s);
        pickM[q] = _mm256_loadu_si256((const __m256i *)m);
        pickS[q] = _mm256_loadu_si256((const __m256i *)s);
        u[q] = used[q];
    }
    float rows[ROW_CHUNK * 8] __attribute__((aligned(32)));
    const float *plane[8];
    row_planes(plane, ap, n, planes);
    for (intptr_t i0 = 0; i0 < n; i0 += ROW_CHUNK) {
        intptr_t m = n - i0 < ROW_CHUNK ? n - i0 : ROW_CHUNK;
        rows_of_chunk(plane, i0, m, rows);
        for (intptr_t j = 0; j < m; j++) {
            const __m256 row = _mm256_load_ps(rows + 8 * j);
            const int64_t at = i0 + j;
#pragma clang loop unroll(full)
            for (int q = 0; q < nq; q++) {
                __m256 a = _mm256_mul_ps(gain[q], _mm256_permutevar8x32_ps(row, pickM[q]));
                __m256 b = _mm256_mul_ps(select[q], _mm256_permutevar8x32_ps(row, pickS[q]));
                __m256 d = _mm256_sub_ps(a, b);
                __m256 ph = _mm256_add_ps(phase[q], step[q]);
                __m256 cross = _mm256_xor_ps(_mm256_cmp_ps(d, zero, _CMP_GT_OQ),
                                             _mm256_cmp_ps(previous[q], zero, _CMP_GT_OQ));
                __m256 back = _mm256_div_ps(_mm256_mul_ps(step[q], d), _mm256_sub_ps(d, previous[q]));
                __m256 err0 = _mm256_sub_ps(_mm256_sub_ps(ph, back), half);
                __m256 err = _mm256_blendv_ps(err0, _mm256_sub_ps(err0, one), _mm256_cmp_ps(err0, half, _CMP_GT_OQ));
                err = _mm256_blendv_ps(err, _mm256_add_ps(err0, one),
                                       _mm256_cmp_ps(err0, _mm256_sub_ps(zero, half), _CMP_LT_OQ));
                __m256 ph2 = _mm256_blendv_ps(ph, _mm256_sub_ps(ph, _mm256_mul_ps(loop[q], err)), cross);
                __m256 wrap = _mm256_cmp_ps(ph2, one, _CMP_GE_OQ);
                __m256 next = _mm256_blendv_ps(ph2, zero, _mm256_cmp_ps(ph2, zero, _CMP_LT_OQ));
                phase[q] = _mm256_blendv_ps(next, _mm256_sub_ps(ph2, one), wrap);
                previous[q] = d;
                char *r = rp + (q * cap + u[q]) * stride;
                _mm256_storeu_ps((float *)r, d);
                _mm256_storeu_ps((float *)(r + 32), _mm256_add_ps(a, b));
                _mm256_storeu_ps((float *)(r + 64), wrap);
                memcpy(r + 96, &at, 8);
                u[q] += !_mm256_testz_ps(wrap, wrap);
            }
        }
    }
    for (int q = 0; q < nq; q++) {
        _mm256_storeu_ps(qp[q].phase, phase[q]);
        _mm256_storeu_ps(qp[q].previous, previous[q]);
        used[q] = u[q];
    }
}

AVX2 void cvk_slicer_advance_avx2(void *quads, intptr_t nq, const float *ap, intptr_t n,
                                  void *records, intptr_t recordStride, intptr_t cap, intptr_t *used) {
    Quad *qp = quads;
    // At most four vectors on at most four discriminators: the row-and-permute loop.
    const int64_t planes = planes_read(qp, nq);
    if (planes <= 4 && n > 0) {
        switch (nq) {
        case 1: slicer_rows(qp, 1, ap, n, records, recordStride, cap, used, (int)planes); return;
        case 2: slicer_rows(qp, 2, ap, n, records, recordStride, cap, used, (int)planes); return;
        case 3: slicer_rows(qp, 3, ap, n, records, recordStride, cap, used, (int)planes); return;
        case 4: slicer_rows(qp, 4, ap, n, records, recordStride, cap, used, (int)planes); return;
        default: break;
        }
    }
    char *rp = records;
    const f8 half = halves(0.5f, 0.5f), one = halves(1, 1), zero = halves(0, 0);
    // Where each vector's four sources start: mark values, space values `n` later.
    intptr_t starts[nq > 0 ? nq : 1][4];
    for (intptr_t q = 0; q < nq; q++)
        for (int h = 0; h < 4; h++) starts[q][h] = (intptr_t)qp[q].sources[h] * 2 * n;
    for (intptr_t i = 0; i < n; i++) {
        const float *row = ap + i, *rowS = ap + n + i;
        for (intptr_t q = 0; q < nq; q++) {
            Quad *c = qp + q;
            const intptr_t *o = starts[q];
            f8 a = load8(c->gainA) * halves(row[o[0]], row[o[2]]) + load8(c->gainB) * halves(row[o[1]], row[o[3]]);
            f8 b = load8(c->selectA) * halves(rowS[o[0]], rowS[o[2]])
                 + load8(c->selectB) * halves(rowS[o[1]], rowS[o[3]]);
            f8 d = a - b;
            f8 step = load8(c->step), previous = load8(c->previous);
            f8 ph = load8(c->phase) + step;
            i8 cross = (d > zero) ^ (previous > zero);
            f8 back = step * d / (d - previous);
            f8 err0 = ph - back - half;
            f8 err = pick(err0 > half, err0 - one, err0);
            err = pick(err0 < -half, err0 + one, err);
            f8 ph2 = pick(cross, ph - load8(c->loop) * err, ph);
            i8 wrap = ph2 >= one;
            f8 next = pick(ph2 < zero, zero, ph2);
            store8(c->phase, pick(wrap, ph2 - one, next));
            store8(c->previous, d);
            char *r = rp + (q * cap + used[q]) * recordStride;
            f8 level = a + b;
            memcpy(r, &d, 32);
            memcpy(r + 32, &level, 32);
            memcpy(r + 64, &wrap, 32);
            int64_t at = i;
            memcpy(r + 96, &at, 8);
            i8 w = wrap;
            int any = 0;
            for (int l = 0; l < 8; l++) any |= w[l];
            used[q] += any != 0;
        }
    }
}

#define AVX512 __attribute__((target("avx2,avx512f,avx512dq,avx512vl,avx512bw")))

int cvk_has_avx512(void) {
    // SOUNDSTACK_NO_AVX512=1 keeps to the AVX2 loops (for benchmarks side by side).
    const char *off = getenv("SOUNDSTACK_NO_AVX512");
    if (off && *off && *off != '0') return 0;
    if (!cvk_has_avx2()) return 0;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") ? 1 : 0;
}

static inline AVX512 __m512 join8(const float *lo, const float *hi) {
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(lo)), _mm256_loadu_ps(hi), 1);
}

/// The row-and-permute loop of `slicer_rows` with two vectors of eight (quads 2p and 2p + 1)
/// to one sixteen-lane register: the same operations lane by lane (a masked subtraction is a
/// subtraction and a select), so the same bits, in half the instructions.
static inline __attribute__((always_inline)) AVX512 void
slicer_rows512(Quad *qp, const int pairs, const float *ap, intptr_t n, char *rp, intptr_t stride,
               intptr_t cap, intptr_t *used, int planes) {
    const __m512 half = _mm512_set1_ps(0.5f), minusHalf = _mm512_set1_ps(-0.5f), one = _mm512_set1_ps(1);
    const __m512 zero = _mm512_setzero_ps();
    __m512 gain[2], select[2], step[2], loop[2], phase[2], previous[2];
    __m512i pickM[2], pickS[2];
    intptr_t u[4];
    for (int p = 0; p < pairs; p++) {
        Quad *c = qp + 2 * p, *e = c + 1;
        gain[p] = _mm512_add_ps(join8(c->gainA, e->gainA), join8(c->gainB, e->gainB));
        select[p] = _mm512_add_ps(join8(c->selectA, e->selectA), join8(c->selectB, e->selectB));
        step[p] = join8(c->step, e->step);
        loop[p] = join8(c->loop, e->loop);
        phase[p] = join8(c->phase, e->phase);
        previous[p] = join8(c->previous, e->previous);
        int32_t m[16], s[16];
        lane_picks(c, m, s);
        lane_picks(e, m + 8, s + 8);
        pickM[p] = _mm512_loadu_si512(m);
        pickS[p] = _mm512_loadu_si512(s);
        u[2 * p] = used[2 * p];
        u[2 * p + 1] = used[2 * p + 1];
    }
    float rows[ROW_CHUNK * 8] __attribute__((aligned(32)));
    const float *plane[8];
    row_planes(plane, ap, n, planes);
    for (intptr_t i0 = 0; i0 < n; i0 += ROW_CHUNK) {
        intptr_t m = n - i0 < ROW_CHUNK ? n - i0 : ROW_CHUNK;
        rows_of_chunk(plane, i0, m, rows);
        for (intptr_t j = 0; j < m; j++) {
            const __m512 row = _mm512_castps256_ps512(_mm256_load_ps(rows + 8 * j));
            const int64_t at = i0 + j;
#pragma clang loop unroll(full)
            for (int p = 0; p < pairs; p++) {
                __m512 a = _mm512_mul_ps(gain[p], _mm512_permutexvar_ps(pickM[p], row));
                __m512 b = _mm512_mul_ps(select[p], _mm512_permutexvar_ps(pickS[p], row));
                __m512 d = _mm512_sub_ps(a, b);
                __m512 ph = _mm512_add_ps(phase[p], step[p]);
                __mmask16 cross = _mm512_cmp_ps_mask(d, zero, _CMP_GT_OQ)
                                ^ _mm512_cmp_ps_mask(previous[p], zero, _CMP_GT_OQ);
                __m512 back = _mm512_div_ps(_mm512_mul_ps(step[p], d), _mm512_sub_ps(d, previous[p]));
                __m512 err0 = _mm512_sub_ps(_mm512_sub_ps(ph, back), half);
                __m512 err = _mm512_mask_sub_ps(err0, _mm512_cmp_ps_mask(err0, half, _CMP_GT_OQ), err0, one);
                err = _mm512_mask_add_ps(err, _mm512_cmp_ps_mask(err0, minusHalf, _CMP_LT_OQ), err0, one);
                __m512 ph2 = _mm512_mask_sub_ps(ph, cross, ph, _mm512_mul_ps(loop[p], err));
                __mmask16 wrap = _mm512_cmp_ps_mask(ph2, one, _CMP_GE_OQ);
                __m512 next = _mm512_mask_mov_ps(ph2, _mm512_cmp_ps_mask(ph2, zero, _CMP_LT_OQ), zero);
                phase[p] = _mm512_mask_sub_ps(next, wrap, ph2, one);
                previous[p] = d;
                __m512 level = _mm512_add_ps(a, b);
                __m512i w = _mm512_movm_epi32(wrap);
                char *r0 = rp + ((2 * p) * cap + u[2 * p]) * stride;
                _mm256_storeu_ps((float *)r0, _mm512_castps512_ps256(d));
                _mm256_storeu_ps((float *)(r0 + 32), _mm512_castps512_ps256(level));
                _mm256_storeu_si256((__m256i *)(r0 + 64), _mm512_castsi512_si256(w));
                memcpy(r0 + 96, &at, 8);
                char *r1 = rp + ((2 * p + 1) * cap + u[2 * p + 1]) * stride;
                _mm256_storeu_ps((float *)r1, _mm512_extractf32x8_ps(d, 1));
                _mm256_storeu_ps((float *)(r1 + 32), _mm512_extractf32x8_ps(level, 1));
                _mm256_storeu_si256((__m256i *)(r1 + 64), _mm512_extracti32x8_epi32(w, 1));
                memcpy(r1 + 96, &at, 8);
                u[2 * p] += (wrap & 0xFF) != 0;
                u[2 * p + 1] += (wrap >> 8) != 0;
            }
        }
    }
    for (int p = 0; p < pairs; p++) {
        Quad *c = qp + 2 * p;
        _mm256_storeu_ps(c[0].phase, _mm512_castps512_ps256(phase[p]));
        _mm256_storeu_ps(c[1].phase, _mm512_extractf32x8_ps(phase[p], 1));
        _mm256_storeu_ps(c[0].previous, _mm512_castps512_ps256(previous[p]));
        _mm256_storeu_ps(c[1].previous, _mm512_extractf32x8_ps(previous[p], 1));
        used[2 * p] = u[2 * p];
        used[2 * p + 1] = u[2 * p + 1];
    }
}

AVX512 int cvk_slicer_advance_avx512(void *quads, intptr_t nq, const float *ap, intptr_t n,
                                     void *records, intptr_t recordStride, intptr_t cap, intptr_t *used) {
    Quad *qp = quads;
    const int64_t planes = planes_read(qp, nq);
    if (n <= 0 || planes > 4) return 0;
    switch (nq) {
    case 2: slicer_rows512(qp, 1, ap, n, records, recordStride, cap, used, (int)planes); return 1;
    case 4: slicer_rows512(qp, 2, ap, n, records, recordStride, cap, used, (int)planes); return 1;
    default: return 0;
    }
}

/// a·b + c, rounded once.
static inline FMA f8 fma8(f8 a, f8 b, f8 c) { return (f8)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c); }

FMA void cvk_fir_avx2(const float *c, const float *h, intptr_t k, intptr_t first, intptr_t step,
                       intptr_t outputs, float *out) {
    const intptr_t k8 = k & ~(intptr_t)7;
    intptr_t w = 0;
    // Four outputs at a time: each still has its own two accumulators, summed as below, but
    // their eight independent chains keep the adders busy (one output's two chains wait on
    // the adder's latency).
    for (; w + 4 <= outputs; w += 4) {
        const float *r0 = h + first + w * step, *r1 = r0 + step, *r2 = r1 + step, *r3 = r2 + step;
        f8 a00 = halves(0, 0), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        intptr_t j = 0;
        for (; j + 16 <= k8; j += 16) {
            const f8 c0 = load8(c + j), c1 = load8(c + j + 8);
            a00 = fma8(c0, load8(r0 + j), a00);
            a01 = fma8(c1, load8(r0 + j + 8), a01);
            a10 = fma8(c0, load8(r1 + j), a10);
            a11 = fma8(c1, load8(r1 + j + 8), a11);
            a20 = fma8(c0, load8(r2 + j), a20);
            a21 = fma8(c1, load8(r2 + j + 8), a21);
            a30 = fma8(c0, load8(r3 + j), a30);
            a31 = fma8(c1, load8(r3 + j + 8), a31);
        }
        if (j < k8) {
            const f8 c0 = load8(c + j);
            a00 = fma8(c0, load8(r0 + j), a00);
            a10 = fma8(c0, load8(r1 + j), a10);
            a20 = fma8(c0, load8(r2 + j), a20);
            a30 = fma8(c0, load8(r3 + j), a30);
            j += 8;
        }
        const f8 acc[4] = {a00 + a01, a10 + a11, a20 + a21, a30 + a31};
        const float *rows[4] = {r0, r1, r2, r3};
        for (int m = 0; m < 4; m++) {
            float tail = 0;
            for (intptr_t t = j; t < k; t++) tail += c[t] * rows[m][t];
            float sum = -0.0f;
            for (int l = 0; l < 8; l++) sum += acc[m][l];
            out[w + m] = sum + tail;
        }
    }
    for (; w < outputs; w++) {
        const float *row = h + first + w * step;
        f8 a0 = halves(0, 0), a1 = halves(0, 0);
        intptr_t j = 0;
        for (; j + 16 <= k8; j += 16) {
            a0 = fma8(load8(c + j), load8(row + j), a0);
            a1 = fma8(load8(c + j + 8), load8(row + j + 8), a1);
        }
        if (j < k8) {
            a0 = fma8(load8(c + j), load8(row + j), a0);
            j += 8;
        }
        float tail = 0;
        for (; j < k; j++) tail += c[j] * row[j];
        // Swift's SIMD8.sum(): lane by lane from -0.
        f8 a = a0 + a1;
        float sum = -0.0f;
        for (int l = 0; l < 8; l++) sum += a[l];
        out[w] = sum + tail;
    }
}

typedef float f4 __attribute__((vector_size(16), aligned(4)));
typedef double d4 __attribute__((vector_size(32), aligned(8)));

static inline AVX2 f4 load4(const float *p) { f4 v; memcpy(&v, p, sizeof v); return v; }
static inline AVX2 void store4(float *p, f4 v) { memcpy(p, &v, sizeof v); }

/// Sums afresh (in double) the last `windows[d]` ring slots before `newest`.
static AVX2 void bank_resum(const float *ring, float *sums, const intptr_t *windows, intptr_t nw,
                            intptr_t newest, intptr_t len) {
    for (intptr_t d = 0; d < nw; d++) {
        d4 t = {0, 0, 0, 0};
        intptr_t back = newest;
        for (intptr_t m = 0; m < windows[d]; m++) {
            back = back == 0 ? len - 1 : back - 1;
            t += __builtin_convertvector(load4(ring + 4 * back), d4);
        }
        store4(sums + 4 * d, __builtin_convertvector(t, f4));
    }
}

AVX2 void cvk_tone_bank_avx2(const float *ip, intptr_t n, float *op, float *rp, intptr_t len, float *sp,
                             const intptr_t *wp, const float *scp, intptr_t nw, double *osc,
                             const double *rotCos, const double *rotSin, intptr_t *slot, intptr_t *sinceResum) {
    d4 o, rc, rs;
    memcpy(&o, osc, sizeof o);
    memcpy(&rc, rotCos, sizeof rc);
    memcpy(&rs, rotSin, sizeof rs);
    intptr_t k = *slot, resum = *sinceResum;
    for (intptr_t i = 0; i < n; i++) {
        f4 f = __builtin_convertvector(o * (double)ip[i], f4);
        f8 ff = __builtin_shufflevector(f, f, 0, 1, 2, 3, 0, 1, 2, 3);
        intptr_t d = 0;
        // Two windows to a vector: lanes 0–3 window d, 4–7 window d + 1.
        for (; d + 1 < nw; d += 2) {
            intptr_t b0 = k - wp[d], b1 = k - wp[d + 1];
            if (b0 < 0) b0 += len;
            if (b1 < 0) b1 += len;
            f8 old = __builtin_shufflevector(load4(rp + 4 * b0), load4(rp + 4 * b1), 0, 1, 2, 3, 4, 5, 6, 7);
            f8 s = load8(sp + 4 * d) + (ff - old);
            store8(sp + 4 * d, s);
            f8 q = s * s;
            // Mark I² + Q² in lanes 0 and 4, space in lanes 2 and 6 (q1 + q0 = q0 + q1 exactly).
            f8 e = q + __builtin_shufflevector(q, q, 1, 0, 3, 2, 5, 4, 7, 6);
            f8 scale = halves(scp[d], scp[d + 1]);
            f8 amp = __builtin_elementwise_sqrt(e) * scale;
            op[2 * d * n + i] = amp[0];
            op[2 * d * n + n + i] = amp[2];
            op[2 * (d + 1) * n + i] = amp[4];
            op[2 * (d + 1) * n + n + i] = amp[6];
        }
        if (d < nw) {
            intptr_t b0 = k - wp[d];
            if (b0 < 0) b0 += len;
            f4 s = load4(sp + 4 * d) + (f - load4(rp + 4 * b0));
            store4(sp + 4 * d, s);
            f4 q = s * s;
            f4 e = q + __builtin_shufflevector(q, q, 1, 0, 3, 2);
            f4 amp = __builtin_elementwise_sqrt(e) * (f4){scp[d], scp[d], scp[d], scp[d]};
            op[2 * d * n + i] = amp[0];
            op[2 * d * n + n + i] = amp[2];
        }
        store4(rp + 4 * k, f);
        k += 1;
        if (k == len) k = 0;
        o = o * rc + __builtin_shufflevector(o, o, 1, 0, 3, 2) * rs;
        resum += 1;
        if (resum == 4096) {
            resum = 0;
            bank_resum(rp, sp, wp, nw, k, len);
            // The oscillators back to unit length, as ToneDiscriminator.renormalized does.
            const double gm = 1 / __builtin_sqrt(o[0] * o[0] + o[1] * o[1]);
            const double gs = 1 / __builtin_sqrt(o[2] * o[2] + o[3] * o[3]);
            o = o * (d4){gm, gm, gs, gs};
        }
    }
    memcpy(osc, &o, sizeof o);
    *slot = k;
    *sinceResum = resum;
}


static inline AVX2 f4 lo4(f8 v) { return __builtin_shufflevector(v, v, 0, 1, 2, 3); }
static inline AVX2 f4 hi4(f8 v) { return __builtin_shufflevector(v, v, 4, 5, 6, 7); }

AVX2 void cvk_mix_two_tones_avx2(const float *x, const float *re0, const float *im0, const float *re1,
                                 const float *im1, intptr_t d, intptr_t np, float *outRe, float *outIm,
                                 float total[4]) {
    f4 t = {0};
    for (intptr_t p = 0; p < np; p++) {
        // Products eight samples at a time, summed into four lanes column after column, in the
        // Swift loop's order.
        f4 a0 = {0}, b0 = {0}, a1 = {0}, b1 = {0};
        const intptr_t row = p * d;
        intptr_t c = 0;
        for (; c + 8 <= d; c += 8) {
            const intptr_t m = row + c;
            const f8 xv = load8(x + m);
            const f8 pa0 = xv * load8(re0 + m), pb0 = xv * load8(im0 + m);
            const f8 pa1 = xv * load8(re1 + m), pb1 = xv * load8(im1 + m);
            t += lo4(xv);
            t += hi4(xv);
            a0 += lo4(pa0);
            a0 += hi4(pa0);
            b0 += lo4(pb0);
            b0 += hi4(pb0);
            a1 += lo4(pa1);
            a1 += hi4(pa1);
            b1 += lo4(pb1);
            b1 += hi4(pb1);
        }
        if (c < d) {
            const intptr_t m = row + c;
            const f4 xv = load4(x + m);
            t += xv;
            a0 += xv * load4(re0 + m);
            b0 += xv * load4(im0 + m);
            a1 += xv * load4(re1 + m);
            b1 += xv * load4(im1 + m);
        }
        // ToneMixer.sums: lanes 0 + 2 and 1 + 3 of each, then those pairs.
        const f4 ab = __builtin_shufflevector(a0, b0, 0, 1, 4, 5) + __builtin_shufflevector(a0, b0, 2, 3, 6, 7);
        const f4 cd = __builtin_shufflevector(a1, b1, 0, 1, 4, 5) + __builtin_shufflevector(a1, b1, 2, 3, 6, 7);
        const f4 s = __builtin_shufflevector(ab, cd, 0, 2, 4, 6) + __builtin_shufflevector(ab, cd, 1, 3, 5, 7);
        outRe[p] = s[0];
        outIm[p] = s[1];
        outRe[np + p] = s[2];
        outIm[np + p] = s[3];
    }
    store4(total, t);
}


typedef float f16 __attribute__((vector_size(64), aligned(4)));

static inline AVX512 f16 fma16(float t, f16 x, f16 y) {
    return (f16)_mm512_fmadd_ps(_mm512_set1_ps(t), (__m512)x, (__m512)y);
}

/// cvk_fir_bank_avx2's loop with sixteen outputs to a vector (each summed tap by tap in order,
/// each multiply-add fused, as with eight): returns the outputs done, a multiple of sixteen.
/// Two vectors of each filter at a time while there are 32 outputs to go: eight sums in flight,
/// not four, so that an addition does not wait for the one before it (each sum is a chain).
static AVX512 intptr_t fir_bank16(const float *x, const float *t0, intptr_t length, intptr_t nf, intptr_t outputs,
                                  intptr_t outStride, float *out) {
    const intptr_t half = length / 2;
    intptr_t i = 0;
    for (; i + 32 <= outputs; i += 32) {
        f16 y0 = {0}, y1 = {0}, y2 = {0}, y3 = {0}, z0 = {0}, z1 = {0}, z2 = {0}, z3 = {0};
        for (intptr_t j = 0; j <= half; j++) {
            f16 xv, xr, wv, wr;
            memcpy(&xv, x + i + j, sizeof xv);
            memcpy(&wv, x + i + 16 + j, sizeof wv);
            memcpy(&xr, x + i + length - 1 - j, sizeof xr);
            memcpy(&wr, x + i + 16 + length - 1 - j, sizeof wr);
            const f16 pair = j < half ? xv + xr : xv, pair2 = j < half ? wv + wr : wv;
            y0 = fma16(t0[j], pair, y0);
            z0 = fma16(t0[j], pair2, z0);
            if (nf > 1) y1 = fma16(t0[length + j], pair, y1), z1 = fma16(t0[length + j], pair2, z1);
            if (nf > 2) y2 = fma16(t0[2 * length + j], pair, y2), z2 = fma16(t0[2 * length + j], pair2, z2);
            if (nf > 3) y3 = fma16(t0[3 * length + j], pair, y3), z3 = fma16(t0[3 * length + j], pair2, z3);
        }
        memcpy(out + i, &y0, sizeof y0);
        memcpy(out + i + 16, &z0, sizeof z0);
        if (nf > 1) memcpy(out + outStride + i, &y1, sizeof y1), memcpy(out + outStride + i + 16, &z1, sizeof z1);
        if (nf > 2)
            memcpy(out + 2 * outStride + i, &y2, sizeof y2), memcpy(out + 2 * outStride + i + 16, &z2, sizeof z2);
        if (nf > 3)
            memcpy(out + 3 * outStride + i, &y3, sizeof y3), memcpy(out + 3 * outStride + i + 16, &z3, sizeof z3);
    }
    for (; i + 16 <= outputs; i += 16) {
        f16 y0 = {0}, y1 = {0}, y2 = {0}, y3 = {0};
        for (intptr_t j = 0; j <= half; j++) {
            f16 xv, xr;
            memcpy(&xv, x + i + j, sizeof xv);
            memcpy(&xr, x + i + length - 1 - j, sizeof xr);
            // The two taps j and length − 1 − j are equal: their inputs are added first.
            const f16 pair = j < half ? xv + xr : xv;
            y0 = fma16(t0[j], pair, y0);
            if (nf > 1) y1 = fma16(t0[length + j], pair, y1);
            if (nf > 2) y2 = fma16(t0[2 * length + j], pair, y2);
            if (nf > 3) y3 = fma16(t0[3 * length + j], pair, y3);
        }
        memcpy(out + i, &y0, sizeof y0);
        if (nf > 1) memcpy(out + outStride + i, &y1, sizeof y1);
        if (nf > 2) memcpy(out + 2 * outStride + i, &y2, sizeof y2);
        if (nf > 3) memcpy(out + 3 * outStride + i, &y3, sizeof y3);
    }
    return i;
}

/// `vectors` × 8 outputs from `i` of up to four filters (`nf`, taps `t0` one filter after the
/// other), sharing each load of the input: a sum per vector and filter, each taken tap by tap
/// in order (taps j and length − 1 − j are equal: their inputs are added first). Inlined with
/// a constant `vectors`, so the sums stay in registers.
static inline __attribute__((always_inline)) FMA void
bank_outputs(const float *x, const float *t0, intptr_t length, intptr_t nf, intptr_t i, int vectors,
             intptr_t outStride, float *out) {
    const intptr_t half = length / 2;
    f8 y[4][2] = {{{0}}};
    for (intptr_t j = 0; j <= half; j++) {
        f8 pair[2];
        for (int v = 0; v < vectors; v++) {
            const f8 xv = load8(x + i + 8 * v + j);
            pair[v] = j < half ? xv + load8(x + i + 8 * v + length - 1 - j) : xv;
        }
        for (int f = 0; f < 4; f++) {
            if (f < nf) {
                const f8 c = halves(t0[f * length + j], t0[f * length + j]);
                for (int v = 0; v < vectors; v++) y[f][v] = fma8(c, pair[v], y[f][v]);
            }
        }
    }
    for (int f = 0; f < 4 && f < nf; f++)
        for (int v = 0; v < vectors; v++) store8(out + f * outStride + i + 8 * v, y[f][v]);
}

/// The outputs from `i` on, as many as whole vectors hold: sixteen at a time, two vectors a
/// filter (eight sums in flight, where four leave the FMA units waiting on each other), then
/// eight. Returns where it stopped.
static inline __attribute__((always_inline)) FMA intptr_t
bank_blocks(const float *x, const float *t0, intptr_t length, intptr_t nf, intptr_t i, intptr_t outputs,
            intptr_t outStride, float *out) {
    for (; i + 16 <= outputs; i += 16) bank_outputs(x, t0, length, nf, i, 2, outStride, out);
    for (; i + 8 <= outputs; i += 8) bank_outputs(x, t0, length, nf, i, 1, outStride, out);
    return i;
}

FMA void cvk_fir_bank_avx2(const float *x, const float *taps, intptr_t length, intptr_t filters, intptr_t outputs,
                           intptr_t outStride, float *out, int wide) {
    const intptr_t half = length / 2;
    // Up to four filters at a time share each load of the input.
    for (intptr_t f0 = 0; f0 < filters; f0 += 4) {
        const intptr_t nf = filters - f0 < 4 ? filters - f0 : 4;
        const float *t0 = taps + f0 * length;
        float *o = out + f0 * outStride;
        intptr_t i = wide ? fir_bank16(x, t0, length, nf, outputs, outStride, o) : 0;
        // With the number of filters a constant in each, the loops keep every sum in a register.
        switch (nf) {
        case 4: i = bank_blocks(x, t0, length, 4, i, outputs, outStride, o); break;
        case 3: i = bank_blocks(x, t0, length, 3, i, outputs, outStride, o); break;
        case 2: i = bank_blocks(x, t0, length, 2, i, outputs, outStride, o); break;
        default: i = bank_blocks(x, t0, length, 1, i, outputs, outStride, o); break;
        }
        for (intptr_t f = f0; f < f0 + nf; f++) {
            for (intptr_t k = i; k < outputs; k++) {
                float y = 0;
                for (intptr_t j = 0; j <= half; j++) {
                    const float pair = j < half ? x[k + j] + x[k + length - 1 - j] : x[k + j];
                    y = __builtin_fmaf(taps[f * length + j], pair, y);
                }
                out[f * outStride + k] = y;
            }
        }
    }
}

// ── BasebandDemodulator: AGC and slicers, four filters and one eight-lane group ───────────────

typedef struct {
    float phase[8], previous[8], threshold[8], gain[8];
    int32_t filter[8];
    uint32_t reg[8];
} BasebandLanes;

_Static_assert(sizeof(BasebandLanes) == 192, "BasebandLanes layout");

typedef int32_t i4 __attribute__((vector_size(16), aligned(4)));
typedef uint32_t u8x __attribute__((vector_size(32), aligned(4)));

static inline AVX2 f4 pick4(i4 where, f4 a, f4 b) { return (f4)((where & (i4)a) | (~where & (i4)b)); }
static inline AVX2 f4 splat4(float x) { return (f4){x, x, x, x}; }
static inline AVX2 int mask8(i8 m) { return _mm256_movemask_ps((__m256)m); }

/// The AGC and slicer loop, compiled twice: for AVX2, and for AVX-512, whose sixteen more
/// vector registers hold every constant and state vector of the loop (the AVX2 build spills
/// some to the stack and reloads them every sample); the same eight-lane operations, so the
/// same bits.
static inline __attribute__((always_inline)) AVX2 void
baseband_slicers(const float *filtered, intptr_t n, float *peaks, float *valleys, float attack, float decay,
                 void *lanes, const int32_t *laneSlicers, float step, intptr_t base, float *softs,
                 intptr_t *instants, intptr_t capacity, intptr_t *counts) {
    BasebandLanes *g = lanes;
    f4 peak = load4(peaks), valley = load4(valleys);
    const f4 att = splat4(attack), dec = splat4(decay), floor = splat4(1e-6f);
    f8 phase = load8(g->phase), prev = load8(g->previous);
    const f8 threshold = load8(g->threshold), gain = load8(g->gain);
    u8x reg;
    memcpy(&reg, g->reg, sizeof reg);
    const f8 st = halves(step, step), zero = halves(0, 0), one = halves(1, 1), mid = halves(0.5f, 0.5f);
    const f8 low = halves(-0.5f, -0.5f);
    const float *r0 = filtered, *r1 = filtered + n, *r2 = filtered + 2 * n, *r3 = filtered + 3 * n;
    i8 offsets, used;
    for (int l = 0; l < 8; l++) {
        offsets[l] = (int32_t)(laneSlicers[l] * capacity);
        used[l] = (int32_t)counts[laneSlicers[l]];
    }
    for (intptr_t i = 0; i < n; i++) {
        // The AGC, as BasebandDemodulator.agc: each filter's output in half swings about the
        // middle between its peak and valley.
        const f4 y = {r0[i], r1[i], r2[i], r3[i]};
        peak = peak + pick4(y > peak, att, dec) * (y - peak);
        valley = valley + pick4(y < valley, att, dec) * (y - valley);
        f4 half = (peak - valley) / 2;
        half = pick4(half >= floor, half, floor);
        const f4 a = (y - (peak + valley) / 2) / half;
        // The slicers, as BasebandDemodulator.process: lane l hears filter l mod 4.
        const f8 v = __builtin_shufflevector(a, a, 0, 1, 2, 3, 0, 1, 2, 3) - threshold;
        f8 p = phase + st;
        const i8 centre = p >= mid;
        int m = mask8(centre);
        if (m) {
            const f8 back = (p - mid) / st;
            const f8 values = v + (prev - v) * back;
            const u8x line = (u8x)(values > zero) & 1;
            const u8x bit = (line ^ (reg >> 16) ^ (reg >> 11)) & 1;
            reg = (u8x)((centre & (i8)(((reg << 1) | line) & 0x1FFFF)) | (~centre & (i8)reg));
            const f8 flipped = pick((i8)(bit != line), -values, values);
            // Every lane writes its next place; only those at a bit centre move on (no branch
            // per lane: how many lanes sample together is the predictor's despair).
            const i8 at = offsets + used;
            for (int l = 0; l < 8; l++) {
                softs[at[l]] = flipped[l];
                instants[at[l]] = base + i;
            }
            used -= centre;
            p = pick(centre, p - one, p);
        }
        const i8 crossing = (v > zero) ^ (prev > zero);
        if (mask8(crossing)) {
            const f8 d = prev - v;
            const f8 f = pick(d == zero, mid, prev / d);
            f8 at = p - (one - f) * st;
            at = pick(at < low, at + one, at);
            p = pick(crossing, p - gain * at, p);
        }
        prev = v;
        phase = p;
    }
    for (int l = 0; l < 8; l++) counts[laneSlicers[l]] = used[l];
    store4(peaks, peak);
    store4(valleys, valley);
    store8(g->phase, phase);
    store8(g->previous, prev);
    memcpy(g->reg, &reg, sizeof reg);
}

static AVX2 void baseband_slicers256(const float *filtered, intptr_t n, float *peaks, float *valleys, float attack,
                                     float decay, void *lanes, const int32_t *laneSlicers, float step,
                                     intptr_t base, float *softs, intptr_t *instants, intptr_t capacity,
                                     intptr_t *counts) {
    baseband_slicers(filtered, n, peaks, valleys, attack, decay, lanes, laneSlicers, step, base, softs, instants,
                     capacity, counts);
}

static AVX512 void baseband_slicers512(const float *filtered, intptr_t n, float *peaks, float *valleys,
                                       float attack, float decay, void *lanes, const int32_t *laneSlicers,
                                       float step, intptr_t base, float *softs, intptr_t *instants,
                                       intptr_t capacity, intptr_t *counts) {
    baseband_slicers(filtered, n, peaks, valleys, attack, decay, lanes, laneSlicers, step, base, softs, instants,
                     capacity, counts);
}

void cvk_baseband_slicers_avx2(const float *filtered, intptr_t n, float *peaks, float *valleys, float attack,
                               float decay, void *lanes, const int32_t *laneSlicers, float step, intptr_t base,
                               float *softs, intptr_t *instants, intptr_t capacity, intptr_t *counts, int wide) {
    (wide ? baseband_slicers512 : baseband_slicers256)(filtered, n, peaks, valleys, attack, decay, lanes,
                                                       laneSlicers, step, base, softs, instants, capacity, counts);
}

#else

int cvk_has_avx2(void) { return 0; }
void cvk_slicer_advance_avx2(void *quads, intptr_t nq, const float *amplitudes, intptr_t n,
                             void *records, intptr_t recordStride, intptr_t capacity, intptr_t *used) {}
int cvk_has_avx512(void) { return 0; }
int cvk_slicer_advance_avx512(void *quads, intptr_t nq, const float *amplitudes, intptr_t n,
                              void *records, intptr_t recordStride, intptr_t capacity, intptr_t *used) { return 0; }
void cvk_fir_avx2(const float *coefficients, const float *history, intptr_t taps, intptr_t first,
                  intptr_t step, intptr_t outputs, float *out) {}
void cvk_tone_bank_avx2(const float *input, intptr_t n, float *out, float *ring, intptr_t length, float *sums,
                        const intptr_t *windows, const float *scales, intptr_t count, double *oscillator,
                        const double *rotCos, const double *rotSin, intptr_t *slot, intptr_t *sinceResum) {}
void cvk_mix_two_tones_avx2(const float *x, const float *re0, const float *im0, const float *re1,
                            const float *im1, intptr_t d, intptr_t np, float *outRe, float *outIm, float total[4]) {}
void cvk_fir_bank_avx2(const float *x, const float *taps, intptr_t length, intptr_t filters, intptr_t outputs,
                       intptr_t outStride, float *out, int wide) {}
void cvk_baseband_slicers_avx2(const float *filtered, intptr_t n, float *peaks, float *valleys, float attack,
                               float decay, void *lanes, const int32_t *laneSlicers, float step, intptr_t base,
                               float *softs, intptr_t *instants, intptr_t capacity, intptr_t *counts, int wide) {}

#endif

// ── Correlation-tag hunting (FX.25): a 64-bit word within a few bits of one of a set ─────────

/// The hunting loop, written once and compiled twice: with the CPU's popcount instruction where
/// there is one, and portably.
#define TAG_HUNT_BODY                                                                              \
    intptr_t i = 0;                                                                                \
    int last = *lastLevel, hit = 0;                                                                \
    uint64_t w = *word;                                                                            \
    while (i < n) {                                                                                \
        int level = soft[i] > 0;                                                                   \
        w = (w >> 1) | (level == last ? (uint64_t)1 << 63 : 0);                                    \
        last = level;                                                                              \
        i++;                                                                                       \
        for (intptr_t t = 0; t < count; t++) hit |= __builtin_popcountll(w ^ tags[t]) <= tolerance; \
        if (hit) break;                                                                            \
    }                                                                                              \
    *lastLevel = last;                                                                             \
    *word = w;                                                                                     \
    *found = hit;                                                                                  \
    return i;

static intptr_t tag_hunt_portable(const float *soft, intptr_t n, int *lastLevel, uint64_t *word,
                                  const uint64_t *tags, intptr_t count, int tolerance, int *found) {
    TAG_HUNT_BODY
}

#if defined(__x86_64__)
__attribute__((target("popcnt"))) static intptr_t
tag_hunt_popcnt(const float *soft, intptr_t n, int *lastLevel, uint64_t *word, const uint64_t *tags,
                intptr_t count, int tolerance, int *found) {
    TAG_HUNT_BODY
}
#endif

#if defined(__x86_64__)
/// The same hunt with up to 16 tags compared at once: each bit's word against eight tags to a
/// vector (AVX-512 VPOPCNTDQ counts the differing bits of all eight), instead of one by one.
__attribute__((target("avx512f,avx512vpopcntdq"))) static intptr_t
tag_hunt_vpopcnt(const float *soft, intptr_t n, int *lastLevel, uint64_t *word, const uint64_t *tags,
                 intptr_t count, int tolerance, int *found) {
    const __mmask8 k0 = (__mmask8)(count >= 8 ? 0xFF : (1u << count) - 1);
    const __mmask8 k1 = (__mmask8)(count >= 16 ? 0xFF : count > 8 ? (1u << (count - 8)) - 1 : 0);
    const __m512i t0 = _mm512_maskz_loadu_epi64(k0, tags);
    const __m512i t1 = _mm512_maskz_loadu_epi64(k1, tags + 8);
    const __m512i tol = _mm512_set1_epi64(tolerance);
    intptr_t i = 0;
    int last = *lastLevel, hit = 0;
    uint64_t w = *word;
    while (i < n) {
        int level = soft[i] > 0;
        w = (w >> 1) | (level == last ? (uint64_t)1 << 63 : 0);
        last = level;
        i++;
        const __m512i v = _mm512_set1_epi64((long long)w);
        const __mmask8 m0 = _mm512_mask_cmple_epu64_mask(k0, _mm512_popcnt_epi64(_mm512_xor_si512(v, t0)), tol);
        const __mmask8 m1 = _mm512_mask_cmple_epu64_mask(k1, _mm512_popcnt_epi64(_mm512_xor_si512(v, t1)), tol);
        if (m0 | m1) {
            hit = 1;
            break;
        }
    }
    *lastLevel = last;
    *word = w;
    *found = hit;
    return i;
}
#endif

#if defined(__x86_64__)
/// The same hunt four bits at a time: the words after each of four bits in one vector, each tag
/// compared with all four at once (the differing bits counted a nibble at a time by table, the
/// nibbles summed per word, the fewest over the tags kept). A group of four in which some word
/// is near a tag is hunted again bit by bit, to stop at the first.
__attribute__((target("avx2,popcnt"))) static intptr_t
tag_hunt_avx2(const float *soft, intptr_t n, int *lastLevel, uint64_t *word, const uint64_t *tags,
              intptr_t count, int tolerance, int *found) {
    const __m256i nibbles = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3,
                                             1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    // Each tag's low and high nibbles, split once: a word's differ from them as the word's own do.
    __m256i tagLow[16], tagHigh[16];
    for (intptr_t t = 0; t < count; t++) {
        const __m256i v = _mm256_set1_epi64x((long long)tags[t]);
        tagLow[t] = _mm256_and_si256(v, low);
        tagHigh[t] = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
    }
    const __m256i limit = _mm256_set1_epi64x(tolerance + 1);
    intptr_t i = 0;
    int last = *lastLevel;
    uint64_t w = *word;
    while (i + 4 <= n) {
        uint64_t ws[4];
        uint64_t v = w;
        int l = last;
        for (int j = 0; j < 4; j++) {
            const int level = soft[i + j] > 0;
            v = (v >> 1) | (level == l ? (uint64_t)1 << 63 : 0);
            l = level;
            ws[j] = v;
        }
        const __m256i words = _mm256_loadu_si256((const __m256i *)ws);
        const __m256i wordLow = _mm256_and_si256(words, low);
        const __m256i wordHigh = _mm256_and_si256(_mm256_srli_epi16(words, 4), low);
        // Per word the fewest differing bits over the tags (a count fits the low 16 bits of its
        // lane, the rest of which stay zero).
        __m256i fewest = _mm256_set1_epi64x(64);
        for (intptr_t t = 0; t < count; t++) {
            const __m256i lo = _mm256_shuffle_epi8(nibbles, _mm256_xor_si256(wordLow, tagLow[t]));
            const __m256i hi = _mm256_shuffle_epi8(nibbles, _mm256_xor_si256(wordHigh, tagHigh[t]));
            fewest = _mm256_min_epu16(fewest, _mm256_sad_epu8(_mm256_add_epi8(lo, hi), zero));
        }
        const __m256i near = _mm256_cmpgt_epi64(limit, fewest);
        if (!_mm256_testz_si256(near, near)) break;
        i += 4;
        w = v;
        last = l;
    }
    // The rest (fewer than four bits, or the four that hold a hit) bit by bit.
    *lastLevel = last;
    *word = w;
    return i + tag_hunt_popcnt(soft + i, n - i, lastLevel, word, tags, count, tolerance, found);
}
#endif

intptr_t cvk_tag_hunt_using(int method, const float *soft, intptr_t n, int *lastLevel, uint64_t *word,
                            const uint64_t *tags, intptr_t count, int tolerance, int *found) {
    switch (method) {
#if defined(__x86_64__)
    case 3:
        if (count > 16) return -1;
        return tag_hunt_vpopcnt(soft, n, lastLevel, word, tags, count, tolerance, found);
    case 2:
        if (count > 16) return -1;
        return tag_hunt_avx2(soft, n, lastLevel, word, tags, count, tolerance, found);
    case 1: return tag_hunt_popcnt(soft, n, lastLevel, word, tags, count, tolerance, found);
#endif
    case 0: return tag_hunt_portable(soft, n, lastLevel, word, tags, count, tolerance, found);
    default: return -1;
    }
}

int cvk_tag_hunt_method(void) {
#if defined(__x86_64__)
    // Worked out once; every thread works out the same value. SOUNDSTACK_NO_AVX512=1 and
    // SOUNDSTACK_NO_AVX2=1 (as for the slicers) keep to the narrower compares.
    static int method = -1;
    if (method < 0) {
        __builtin_cpu_init();
        method = cvk_has_avx512() && __builtin_cpu_supports("avx512vpopcntdq") ? 3
                 : cvk_has_avx2() && __builtin_cpu_supports("popcnt")          ? 2
                 : __builtin_cpu_supports("popcnt")                            ? 1
                                                                               : 0;
    }
    return method;
#else
    return 0;
#endif
}

intptr_t cvk_tag_hunt(const float *soft, intptr_t n, int *lastLevel, uint64_t *word, const uint64_t *tags,
                      intptr_t count, int tolerance, int *found) {
    const int method = cvk_tag_hunt_method();
    // More than sixteen tags: the vector hunts hold sixteen; the popcount one holds any number.
    return cvk_tag_hunt_using(count > 16 && method > 1 ? 1 : method, soft, n, lastLevel, word, tags, count,
                              tolerance, found);
}
