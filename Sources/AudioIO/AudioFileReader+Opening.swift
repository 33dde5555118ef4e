internal import CSndFile

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension AudioFileReader {
    /// A handle libsndfile opened, with the facts the reader keeps.
    struct Opened {
        var handle: SndFileHandle
        var sampleRate: Int
        var channels: Int
        var frameCount: Int?
        var description: String
        /// 16-bit PCM: read as integers and scaled here, cheaper than libsndfile's conversion.
        var pcm16: Bool
        /// WAV (RIFF) and raw little-endian data: the bytes on disk are little-endian.
        var littleEndianData: Bool
        /// The header promised more audio than the file holds: what is there is read.
        var cutShort: String? = nil
    }

    /// Opens `descriptor` with libsndfile and checks what it found.
    ///
    /// - Parameters:
    ///   - descriptor: Where the bytes come from.
    ///   - raw: Headerless s16le parameters, or `nil` to detect the format.
    ///   - name: The name errors use.
    ///   - owned: Close `descriptor` with the handle (and on failure).
    static func openHandle(_ descriptor: Int32, raw: RawFormat?, name: String, owned: Bool) throws(AudioIOError)
        -> Opened
    {
        let kind = DescriptorInfo(descriptor: descriptor)
        var handedOver = false
        var cutShort: String?
        do throws(AudioIOError) {
            if kind.isDirectory { throw AudioIOError.cannotOpen(path: name, reason: "is a directory") }
            if kind.isRegularFile, kind.size == 0 { throw AudioIOError.emptyFile(path: name) }
            var info = SF_INFO()
            if let raw {
                try check(sampleRate: raw.sampleRate, channels: raw.channels, name: name)
                info.samplerate = Int32(raw.sampleRate)
                info.channels = Int32(raw.channels)
                info.format = Int32(SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE)
            }
            // Files: libsndfile reads the descriptor. Pipes: through a source that lets it seek
            // back over the header bytes (its own pipe support cannot read FLAC).
            let source = kind.isRegularFile ? nil : PipeSource(descriptor: descriptor)
            if raw == nil {
                let problem =
                    if let source {
                        ContainerInspector.problem(size: nil, bytes: source.peek)
                    } else {
                        ContainerInspector.problem(descriptor: descriptor, size: kind.size)
                    }
                switch problem {
                case .truncated(let reason)?: throw AudioIOError.truncated(path: name, reason: reason)
                case .malformed(let reason)?: throw AudioIOError.notAudioFile(path: name, reason: reason)
                case .cutShort(let reason)?: cutShort = reason
                case nil: break
                }
            }
            var callbacks = PipeSource.callbacks
            let opened =
                if let source {
                    sf_open_virtual(&callbacks, Int32(SFM_READ), &info, source.context)
                } else {
                    sf_open_fd(descriptor, Int32(SFM_READ), &info, 0)
                }
            guard let pointer = opened else {
                if source?.wasEmpty == true { throw AudioIOError.emptyFile(path: name) }
                throw AudioIOError.notAudioFile(path: name, reason: SystemError.sndfileMessage(nil))
            }
            source?.finishOpening()
            let handle = SndFileHandle(pointer: pointer, descriptor: descriptor, ownsDescriptor: owned, source: source)
            handedOver = true
            let sampleRate = Int(info.samplerate), channels = Int(info.channels)
            try check(sampleRate: sampleRate, channels: channels, name: name)
            var frameCount: Int?
            if kind.isRegularFile {
                if info.frames <= 0 { throw AudioIOError.truncated(path: name, reason: "no audio frames") }
                // SF_COUNT_MAX: the container does not say (a FLAC stream without its total).
                frameCount = info.frames == sf_count_t.max ? nil : Int(info.frames)
            }
            return Opened(
                handle: handle, sampleRate: sampleRate, channels: channels,
                frameCount: frameCount, description: describe(format: info.format),
                pcm16: info.format & Int32(SF_FORMAT_SUBMASK) == Int32(SF_FORMAT_PCM_16),
                littleEndianData: info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_WAV)
                    || (info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_RAW)
                        && info.format & Int32(SF_FORMAT_ENDMASK) == Int32(SF_ENDIAN_LITTLE)),
                cutShort: cutShort)
        } catch {
            // Once the handle owns the descriptor, its deinit closes both.
            if owned, !handedOver { closeDescriptor(descriptor) }
            throw error
        }
    }

    /// Throws unless the rate and channel count are plausible.
    static func check(sampleRate: Int, channels: Int, name: String) throws(AudioIOError) {
        guard AudioLimits.sampleRates.contains(sampleRate) else {
            throw .absurdSampleRate(path: name, sampleRate: sampleRate)
        }
        guard AudioLimits.channels.contains(channels) else {
            throw .absurdChannelCount(path: name, channels: channels)
        }
    }

    /// "WAV, Signed 16 bit PCM" from libsndfile's names for the major format and subtype.
    static func describe(format: Int32) -> String {
        func name(_ code: Int32) -> String? {
            var info = SF_FORMAT_INFO()
            info.format = code
            let size = Int32(MemoryLayout<SF_FORMAT_INFO>.size)
            guard sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &info, size) == 0, let text = info.name else {
                return nil
            }
            return String(cString: text)
        }
        let major = name(format & Int32(SF_FORMAT_TYPEMASK)) ?? "unknown container"
        let shortMajor = major.split(separator: " (").first.map(String.init) ?? major
        let subtype = name(format & Int32(SF_FORMAT_SUBMASK)) ?? "unknown encoding"
        return "\(shortMajor), \(subtype)"
    }

    /// Reads up to ``analysisSeconds`` of interleaved frames for the channel analysis.
    static func readPrefix(
        handle: SndFileHandle, channels: Int, sampleRate: Int,
        name: String
    ) throws(AudioIOError) -> [Float] {
        let frames = min(analysisSeconds * sampleRate, analysisSampleLimit / channels)
        var prefix = [Float](repeating: 0, count: frames * channels)
        var filled = 0
        while filled < frames {
            let wanted = min(blockFrames, frames - filled)
            let got = prefix.withUnsafeMutableBufferPointer {
                sf_readf_float(handle.pointer, $0.baseAddress.map { $0 + filled * channels }, sf_count_t(wanted))
            }
            if got <= 0 {
                if sf_error(handle.pointer) != 0 {
                    throw .readFailed(path: name, reason: SystemError.sndfileMessage(handle.pointer))
                }
                break
            }
            filled += Int(got)
        }
        prefix.removeLast((frames - filled) * channels)
        return prefix
    }
}
