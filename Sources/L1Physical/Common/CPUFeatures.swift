internal import CVectorKernels

/// The vector instruction sets this CPU offers to layer 1's hot loops, read once per process.
///
/// The AFSK front end (band-pass dot products, the tone-discriminator bank, the slicer loop),
/// the framed modes' binary FSK mixer and the 9600 Bd receiver's low-pass filters have
/// portable Swift loops and, in `CVectorKernels`, AVX2 (and for the slicers AVX-512) versions
/// that give the same bits (so does the FX.25 tag hunt, eight tags to a vector with AVX-512
/// VPOPCNTDQ). The environment can switch them off for side-by-side benchmarks:
/// `SOUNDSTACK_NO_AVX2=1` runs the portable loops, `SOUNDSTACK_NO_AVX512=1` keeps to AVX2.
///
///     if CPUFeatures.avx2 { … }   // the AVX2 kernels may run
public enum CPUFeatures {
    /// Whether the AVX2 (and FMA) kernels may run: the CPU has them and the environment allows them.
    public static let avx2: Bool = cvk_has_avx2() != 0

    /// Whether the AVX-512 kernels may run (implies ``avx2``).
    public static let avx512: Bool = avx2 && cvk_has_avx512() != 0
}
