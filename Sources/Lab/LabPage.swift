/// The page and its assets, embedded in the binary (no file, CDN or network needed).
enum LabPage {
    /// An asset: its bytes and content type.
    struct Asset {
        var body: String
        var contentType: String
    }

    /// The asset served at `path`, if any.
    static func asset(_ path: String) -> Asset? {
        switch path {
        case "/", "/index.html": Asset(body: html, contentType: "text/html; charset=utf-8")
        case "/lab.js": Asset(body: script, contentType: "text/javascript; charset=utf-8")
        case "/lab.css": Asset(body: style, contentType: "text/css; charset=utf-8")
        default: nil
        }
    }
}
