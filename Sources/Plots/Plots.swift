/// The `Plots` module: pictures of signals and curves, drawn without any plotting library.
///
/// ```
///  plot kinds ─► Canvas (lines, polylines, rects, text, markers, images, clip groups)
///  WaveformPlot        │
///  SpectrogramPlot     ├─► SVGRenderer ─────────────────────────► .svg (text)
///  DemodPlot           │
///  EyeDiagram          └─► RasterRenderer ─► Raster (RGB, anti-aliased lines,
///  ErrorRatePlot                              5×7 bitmap font) ─► PNGEncoder ─► .png
///  LineCodePlot                                         (zlib IDAT, CRC-32 chunks)
/// ```
///
/// Axes (linear and log10), ticks, legends and layout live in ``Chart`` and ``Layout``;
/// SignalBasics' `FFT` and ``ToneEnergies`` measure the signal. The module knows nothing of the
/// physical layer: callers pass tones and symbol rates as a ``SignalShape`` and frames
/// as ``FrameMark``s (the `soundstack plot` command does the translation).
///
///     let canvas = try WaveformPlot.render(samples, sampleRate: 48000)
///     try canvas.write(to: "wave.png")     // or "wave.svg"
public enum PlotsModule {
    /// The module's name, "Plots".
    public static let name = "Plots"
}
