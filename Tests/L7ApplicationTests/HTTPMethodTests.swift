import Testing

@testable import L7Application

@Test func methodsAreOpenTokens() {
    #expect(HTTPMethod.get.rawValue == "GET")
    #expect(HTTPMethod(rawValue: "PURGE")?.rawValue == "PURGE")
    #expect(HTTPMethod(rawValue: "GE T") == nil)
    #expect(HTTPMethod(rawValue: "") == nil)
    #expect(HTTPMethod(rawValue: "get") != .get)
    let all: [HTTPMethod] = [.get, .head, .post, .put, .delete, .patch, .options, .connect, .trace]
    #expect(all.map(\.description) == ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"])
}

@Test func versionsAreOneOneAndOneZero() {
    #expect(HTTPVersion("HTTP/1.1") == .http1_1)
    #expect(HTTPVersion("HTTP/1.0")?.description == "HTTP/1.0")
    #expect(HTTPVersion("HTTP/2.0") == nil)
    #expect(HTTPVersion("http/1.1") == nil)
}
