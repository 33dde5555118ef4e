// Fuzz target `http-response`: HTTPParser<HTTPResponse> on arbitrary bytes, answering a GET or a
// HEAD, fed whole, in random pieces and byte by byte. Property: the pieces change nothing.
import L7Application

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPResponse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzHTTP(HTTPResponse.self, data, size) { parser, control in
        if control & 8 != 0 {
            parser = HTTPParser<HTTPResponse>(respondingTo: .head, limits: parser.limits,
                                              allowsBareLineFeed: parser.allowsBareLineFeed)
        }
    }
    return 0
}
