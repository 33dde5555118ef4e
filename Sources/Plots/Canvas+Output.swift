import Foundation

/// Picture file formats, chosen by extension.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// Scalable Vector Graphics text (`.svg`).
    case svg
    /// A rasterised PNG image (`.png`).
    case png

    /// The format of `path` from its extension (case-insensitive).
    public init(path: String) throws(PlotError) {
        let ext = (path as NSString).pathExtension.lowercased()
        guard let f = ImageFormat(rawValue: ext) else { throw .unsupportedFormat(path: path) }
        self = f
    }
}

extension Canvas {
    /// The SVG document.
    public func svg() throws(PlotError) -> String {
        try validate()
        return try SVGRenderer.render(self)
    }

    /// The PNG file.
    public func png() throws(PlotError) -> [UInt8] {
        try validate()
        return try PNGEncoder.encode(RasterRenderer.render(self))
    }

    /// The file's bytes in `format`.
    public func encoded(as format: ImageFormat) throws(PlotError) -> [UInt8] {
        switch format {
        case .svg: return Array(try svg().utf8)
        case .png: return try png()
        }
    }

    /// Writes the picture to `path`, as SVG or PNG by its extension.
    public func write(to path: String) throws(PlotError) {
        let bytes = try encoded(as: ImageFormat(path: path))
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
