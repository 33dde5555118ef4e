internal import CPulse
import Foundation

/// A device the audio server offers: a sink (output) or a source (input; a sink's monitor is
/// a source that hears what the sink plays).
public struct AudioDeviceInfo: Sendable, Hashable {
    /// The server's name for it, as `--device` takes it.
    public var name: String
    /// The server's human-readable description.
    public var description: String
    /// Whether it records (a source) rather than plays (a sink).
    public var isInput: Bool
    /// For a monitor source: the sink it hears.
    public var monitorOf: String?
    /// Its native sample rate and channel count.
    public var sampleRate: Int
    public var channels: Int
    /// Whether it is the server's default of its kind.
    public var isDefault: Bool
}

/// The audio server itself: whether one answers, and the devices it offers.
public enum AudioServer {
    /// The server's devices, outputs first, each kind in the server's order.
    /// - Parameter timeout: Seconds to wait for the server's answers.
    /// - Throws: ``AudioDeviceError/serverUnavailable(reason:)`` when none answers in time;
    ///   ``AudioDeviceError/clientLibraryMissing(reason:)`` where libpulse is not installed.
    public static func devices(timeout: Double = 5) throws(AudioDeviceError) -> [AudioDeviceInfo] {
        let query = try Query(timeout: timeout)
        return try query.devices()
    }

    /// Whether an audio server answers within `timeout` seconds.
    public static func isReachable(timeout: Double = 2) -> Bool {
        (try? Query(timeout: timeout)) != nil
    }

    /// A connected context on its own main loop, iterated by hand under a deadline.
    private final class Query {
        let loop: OpaquePointer
        let context: OpaquePointer
        let deadline: Date
        var sinks: [AudioDeviceInfo] = []
        var sources: [AudioDeviceInfo] = []
        var defaultSink: String?
        var defaultSource: String?

        init(timeout: Double) throws(AudioDeviceError) {
            deadline = Date(timeIntervalSinceNow: timeout)
            try loadClientLibrary()
            guard let loop = cpulse_mainloop_new() else { throw .serverUnavailable(reason: "no main loop") }
            guard let context = cpulse_context_new(cpulse_mainloop_get_api(loop), "soundstack") else {
                cpulse_mainloop_free(loop)
                throw .serverUnavailable(reason: "no context")
            }
            self.loop = loop
            self.context = context
            guard cpulse_context_connect(context, nil, PA_CONTEXT_NOAUTOSPAWN, nil) >= 0 else {
                throw .serverUnavailable(reason: SimpleStream.message(cpulse_context_errno(context)))
            }
            while true {
                let state = cpulse_context_get_state(context)
                if state == PA_CONTEXT_READY { break }
                if state == PA_CONTEXT_FAILED || state == PA_CONTEXT_TERMINATED {
                    throw .serverUnavailable(reason: SimpleStream.message(cpulse_context_errno(context)))
                }
                try step()
            }
        }

        /// A C string from the server, or "" for none.
        static func text(_ c: UnsafePointer<CChar>?) -> String { c.map { String(cString: $0) } ?? "" }

        deinit {
            cpulse_context_disconnect(context)
            cpulse_context_unref(context)
            cpulse_mainloop_free(loop)
        }

        /// One turn of the main loop, or a throw once the deadline has passed.
        func step() throws(AudioDeviceError) {
            if cpulse_mainloop_iterate(loop, 0, nil) < 0 { throw .serverUnavailable(reason: "the main loop ended") }
            guard Date() < deadline else { throw .serverUnavailable(reason: "no answer in time") }
            usleep(1000)
        }

        /// Runs the main loop until `operation` is done.
        func wait(_ operation: OpaquePointer?) throws(AudioDeviceError) {
            guard let operation else {
                throw .serverUnavailable(reason: SimpleStream.message(cpulse_context_errno(context)))
            }
            defer { cpulse_operation_unref(operation) }
            while cpulse_operation_get_state(operation) == PA_OPERATION_RUNNING { try step() }
        }

        func devices() throws(AudioDeviceError) -> [AudioDeviceInfo] {
            let me = Unmanaged.passUnretained(self).toOpaque()
            try wait(
                cpulse_context_get_server_info(
                    context,
                    { _, info, user in
                        guard let info, let user else { return }
                        let q = Unmanaged<Query>.fromOpaque(user).takeUnretainedValue()
                        q.defaultSink = info.pointee.default_sink_name.map { String(cString: $0) }
                        q.defaultSource = info.pointee.default_source_name.map { String(cString: $0) }
                    }, me))
            try wait(
                cpulse_context_get_sink_info_list(
                    context,
                    { _, info, eol, user in
                        guard eol == 0, let info, let user else { return }
                        let q = Unmanaged<Query>.fromOpaque(user).takeUnretainedValue()
                        let i = info.pointee
                        q.sinks.append(
                            AudioDeviceInfo(
                                name: Query.text(i.name),
                                description: Query.text(i.description),
                                isInput: false, monitorOf: nil, sampleRate: Int(i.sample_spec.rate),
                                channels: Int(i.sample_spec.channels), isDefault: false))
                    }, me))
            try wait(
                cpulse_context_get_source_info_list(
                    context,
                    { _, info, eol, user in
                        guard eol == 0, let info, let user else { return }
                        let q = Unmanaged<Query>.fromOpaque(user).takeUnretainedValue()
                        let i = info.pointee
                        q.sources.append(
                            AudioDeviceInfo(
                                name: Query.text(i.name),
                                description: Query.text(i.description),
                                isInput: true,
                                monitorOf: i.monitor_of_sink_name.map { String(cString: $0) },
                                sampleRate: Int(i.sample_spec.rate), channels: Int(i.sample_spec.channels),
                                isDefault: false))
                    }, me))
            let all = sinks + sources
            return all.map { d in
                var d = d
                d.isDefault = d.name == (d.isInput ? defaultSource : defaultSink)
                return d
            }
        }
    }
}
