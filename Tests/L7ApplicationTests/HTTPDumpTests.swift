import Testing

@testable import L7Application

@Test func wireDumpShowsLineEnds() {
    #expect(HTTPDump.wire(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")) == "GET / HTTP/1.1␍␊\nHost: a␍␊\n␍␊\n")
    #expect(HTTPDump.wire([0x41, 0x00, 0xFF]) == "A\\x00\\xff")
    #expect(HTTPDump.hex(Array(0..<20), maxBytes: 16).hasSuffix("… (4 more bytes)"))
}

@Test func hexDumpAlignsTheTextColumn() {
    #expect(
        HTTPDump.hex(bytes("GET / HTTP/1.1\r\n!")) == """
            0000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..
            0010  21                                               !
            """)
}
