import Foundation
import TestSupport
import Testing

@testable import Lab

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's headless Chromium and its driver, if installed (scripts/setup.sh installs both).
let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}
let chromedriver: String? = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// A WebDriver session on a headless Chromium, spoken to with curl (loopback only).
struct Browser {
    let driver: Process
    let base: String
    let session: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func start(port: Int, microphone: String) async throws -> Browser {
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: chromedriver ?? "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let base = "http://127.0.0.1:\(port)"
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let status = try? await curl([base + "/status"], limit: 2), status.status == 200 { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": chromium ?? "/usr/bin/chromium",
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--window-size=1280,2400", "--autoplay-policy=no-user-gesture-required",
                            // A microphone that plays `microphone` and needs no permission prompt.
                            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                            "--use-file-for-fake-audio-capture=\(microphone)"
                        ]
                    ],
                    "goog:loggingPrefs": ["browser": "ALL"]
                ]
            ]
        ]
        let answer = try await call(base, "POST", "/session", capabilities, limit: 60)
        guard let value = answer["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            driver.terminate()
            throw Failure(description: "no WebDriver session: \(answer)")
        }
        return Browser(driver: driver, base: base, session: id)
    }

    static func call(_ base: String, _ method: String, _ path: String, _ body: [String: Any]? = nil, limit: Double = 30)
        async throws -> [String: Any]
    {
        var arguments = ["-X", method, base + path]
        if let body {
            let data = try JSONSerialization.data(withJSONObject: body)
            arguments += [
                "-H", "Content-Type: application/json", "--data-binary", String(decoding: data, as: UTF8.self)
            ]
        }
        let result = try await curl(arguments, limit: limit)
        let object = try JSONSerialization.jsonObject(with: Data(result.body))
        guard let answer = object as? [String: Any] else { throw Failure(description: "not a WebDriver answer") }
        if result.status >= 400 { throw Failure(description: "\(method) \(path): \(answer)") }
        return answer
    }

    func call(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        try await Self.call(base, method, "/session/\(session)" + path, body)["value"]
    }

    /// Runs `script` (a function body) in the page and returns its value.
    func run(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await call("POST", "/execute/sync", ["script": script, "args": arguments])
    }

    /// Waits until the page says it is ready (or has failed); returns its state.
    func settle(limit: Double = 60) async throws -> String {
        let deadline = Date().addingTimeInterval(limit)
        // A moment for a request just started to set "busy".
        try await Task.sleep(nanoseconds: 200_000_000)
        while Date() < deadline {
            let state = try await run("return document.body.dataset.state || ''") as? String ?? ""
            if state == "ready" || state == "error" { return state }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        throw Failure(description: "the page did not settle within \(limit) s")
    }

    /// Each frame row's status, in order.
    func frameStatuses() async throws -> [String] {
        try await run(
            "return Array.from(document.querySelectorAll('#frames tr.frame')).map(r => r.dataset.status)"
        ) as? [String] ?? []
    }

    /// Console messages at SEVERE level since the last call.
    func consoleErrors() async throws -> [String] {
        let entries = try await call("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
        return entries.filter { $0["level"] as? String == "SEVERE" }.map { "\($0["message"] ?? "")" }
    }

    func stop() async {
        _ = try? await Self.call(base, "DELETE", "/session/\(session)")
        // chromedriver may ignore SIGTERM while it tears a browser down: wait a little, then kill.
        driver.terminate()
        let deadline = Date().addingTimeInterval(5)
        while driver.isRunning, Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
    }
}

/// The page in a real browser: it loads without console errors, teaches with its worked example
/// before anyone clicks, reacts to the noise slider, and decodes an uploaded recording.
@Suite(
    .serialized,
    .enabled(if: chromium != nil && chromedriver != nil && curlPath != nil, "needs chromium, chromedriver and curl"),
    .timeLimit(.minutes(5)))
struct LabBrowserTests {
    @Test func thePageTeachesReactsAndDecodes() async throws {
        // What the fake microphone hears: a message the lab sends, clean, then a second of quiet.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var spoken = LabRequest(text: "heard by the microphone")
        spoken.ebn0 = nil
        let clean = try #require(try LabRunner().send(spoken).audio.clean)
        let microphone = dir.path("microphone.wav")
        #expect(FileManager.default.createFile(atPath: microphone, contents: Data(base64Encoded: clean)))
        let lab = try await LabServer.start(LabConfiguration(port: 0))
        let browser = try await Browser.start(port: Int.random(in: 20000..<30000), microphone: microphone)
        do {
            try await exercise(browser, page: "http://127.0.0.1:\(lab.port)/")
        } catch {
            await browser.stop()
            await lab.shutdown()
            throw error
        }
        await browser.stop()
        await lab.shutdown()
    }

    func exercise(_ browser: Browser, page: String) async throws {
        _ = try await browser.call("POST", "/url", ["url": page])
        #expect(try await browser.settle() == "ready")
        #expect(try await browser.consoleErrors() == [])

        // The worked example, before any click: a frame failed its FCS, the resend mended it.
        let note = try await browser.run("return document.getElementById('example-note').innerText") as? String ?? ""
        #expect(!note.isEmpty)
        let example = try await browser.frameStatuses()
        #expect(example.contains("fcs-mismatch") && example.contains("ok"))
        let layers =
            try await browser.run(
                "return Array.from(document.querySelectorAll('#layers .layer')).map(l => l.dataset.layer + ':' + l.dataset.status)"
            ) as? [String] ?? []
        #expect(layers.count == 7)
        #expect(layers.contains("2:failed"))
        let delivered = try await browser.run("return document.getElementById('delivered').innerText") as? String ?? ""
        #expect(delivered.contains(LabRequest.example.text ?? "?"))
        try await keepScreenshot(browser)

        // The noise slider down to none: every frame passes.
        _ = try await browser.run(
            """
            const box = document.getElementById('no-noise');
            if (!box.checked) box.click();
            document.getElementById('send').click();
            """)
        #expect(try await browser.settle() == "ready")
        let quiet = try await browser.frameStatuses()
        #expect(!quiet.isEmpty && quiet.allSatisfy { $0 == "ok" })

        // Noise up to 8 dB Eb/N0 with no resends: every frame fails its FCS, nothing is delivered.
        _ = try await browser.run(
            """
            const box = document.getElementById('no-noise');
            if (box.checked) box.click();
            const slider = document.getElementById('ebn0');
            slider.value = '8';
            slider.dispatchEvent(new Event('input', {bubbles: true}));
            slider.dispatchEvent(new Event('change', {bubbles: true}));
            const resends = document.getElementById('resends');
            resends.value = '0';
            resends.dispatchEvent(new Event('input', {bubbles: true}));
            resends.dispatchEvent(new Event('change', {bubbles: true}));
            document.getElementById('send').click();
            """)
        #expect(try await browser.settle() == "ready")
        #expect(try await browser.run("return document.getElementById('ebn0-value').textContent") as? String == "8.0")
        let noisy = try await browser.frameStatuses()
        #expect(!noisy.isEmpty && !noisy.contains("ok"))

        // An uploaded recording: a clean one made by the lab itself.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var request = LabRequest(text: "uploaded through the page")
        request.ebn0 = nil
        let clean = try #require(try LabRunner().send(request).audio.clean)
        let wav = dir.path("upload.wav")
        #expect(FileManager.default.createFile(atPath: wav, contents: Data(base64Encoded: clean)))
        let input = try await browser.call("POST", "/element", ["using": "css selector", "value": "#upload"])
        let element = try #require((input as? [String: Any])?.values.first as? String)
        _ = try await browser.call("POST", "/element/\(element)/value", ["text": wav])
        #expect(try await browser.settle() == "ready")
        let heard = try await browser.run("return document.getElementById('delivered').innerText") as? String ?? ""
        #expect(heard.contains("uploaded through the page"))

        // The microphone (Chromium's fake one, looping a lab message): recorded, sent, decoded.
        // A live take runs in real time beside the rest of the suite, and a loaded machine has
        // now and then broken one (1 run in 12 here, with the sound-card tests beside it): a
        // second take is allowed, and the first one's result is kept in the message.
        var takes: [String] = []
        var recorded: String?, said = "", fromMicrophone: String?
        for _ in 0..<2 {
            _ = try await browser.run("document.getElementById('record').click()")
            try await Task.sleep(nanoseconds: 12_000_000_000)
            _ = try await browser.run("document.getElementById('stop').click()")
            #expect(try await browser.settle() == "ready")
            recorded = try await browser.run("return document.getElementById('record-time').textContent") as? String
            said = try await browser.run("return document.getElementById('status').textContent") as? String ?? ""
            fromMicrophone = try await browser.run("return document.getElementById('delivered').innerText") as? String
            if fromMicrophone?.contains("heard by the microphone") == true { break }
            takes.append("\(recorded ?? "nothing recorded"); \(said); \(fromMicrophone ?? "")")
        }
        #expect(takes.count < 2, "both takes: \(takes)")
        #expect(fromMicrophone?.contains("heard by the microphone") == true, "\(fromMicrophone ?? "")")
        #expect(recorded?.hasSuffix("s recorded") == true, "recorded: \(recorded ?? "nothing"); status: \(said)")
        #expect(try await browser.consoleErrors() == [])

        // On a phone's width nothing is wider than the screen.
        _ = try await browser.call("POST", "/window/rect", ["width": 390, "height": 844])
        let overflow =
            try await browser.run(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth") as? Int
        #expect(overflow == 0)
    }

    /// The page as the example left it, kept in the build folder (CI's artifact).
    func keepScreenshot(_ browser: Browser) async throws {
        let png = try #require(try await browser.call("GET", "/screenshot") as? String)
        let data = try #require(Data(base64Encoded: png))
        #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent("lab-screenshot.png"))
    }
}
