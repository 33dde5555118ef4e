// Fuzz target `http-request`: HTTPParser<HTTPRequest> on arbitrary bytes, fed whole, in random
// pieces and byte by byte (see HTTPFuzzing.swift). Property: the pieces change nothing.
import L7Application

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzHTTP(HTTPRequest.self, data, size) { _, _ in }
    return 0
}
