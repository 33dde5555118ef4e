import Foundation

/// The `soundstack` executable that the build put next to the running test bundle.
///
/// Only the directory of the running test binary is searched (and, for an `.xctest` bundle
/// directory as on macOS, the directory holding the bundle), so the binary found is the one
/// built with these tests, never a stale one under some other build folder.
/// (`swift build --build-tests` builds it there for the test targets that depend on it.)
public enum SoundStackBinary {
    /// The path of the `soundstack` next to the test bundle, if there is one.
    public static let path: String? = executableNextToTests(named: "soundstack")

    /// Whether ``path`` found the binary.
    public static var isAvailable: Bool { path != nil }

    /// Thrown by ``runCLI(_:stdin:timeLimit:)`` when there is no binary.
    public struct NotFound: Error, CustomStringConvertible {
        /// The error for a missing binary.
        public init() {}

        public var description: String {
            "soundstack binary not found next to the test bundle: build it with `swift build --build-tests`"
        }
    }

    /// An executable called `name` in the directory of the running test binary.
    public static func executableNextToTests(named name: String) -> String? {
        var executables: [URL] = []
        if let url = Bundle.main.executableURL { executables.append(url) }
        if let first = CommandLine.arguments.first, !first.isEmpty {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            executables.append(URL(fileURLWithPath: first, relativeTo: cwd).absoluteURL)
        }
        var folders: [URL] = []
        // macOS runs Swift Testing through a helper that is handed the bundle's path, and
        // loads the bundle: the bundle's own folder is then the one to look in.
        let arguments = CommandLine.arguments
        if let flag = arguments.firstIndex(of: "--test-bundle-path"), flag + 1 < arguments.count {
            folders.append(
                URL(fileURLWithPath: arguments[flag + 1]).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for executable in executables {
            var dir = executable.resolvingSymlinksInPath().deletingLastPathComponent()
            folders.append(dir)
            // Inside a bundle directory (…/debug/X.xctest/Contents/MacOS/X) the products sit
            // beside the bundle: walk up at most three levels to find it.
            for _ in 0..<3 {
                if dir.pathExtension == "xctest" {
                    folders.append(dir.deletingLastPathComponent())
                    break
                }
                dir.deleteLastPathComponent()
            }
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }
}
