import Testing

@testable import L7Application

@Test func statusesCarryStandardPhrases() {
    #expect(HTTPStatus.ok.code == 200)
    #expect(HTTPStatus.notFound.reasonPhrase == "Not Found")
    #expect(HTTPStatus.contentTooLarge.description == "413 Content Too Large")
    #expect(HTTPStatus(code: 299)?.reasonPhrase == "")
    #expect(HTTPStatus(code: 99) == nil)
    #expect(HTTPStatus(code: 600) == nil)
    #expect(HTTPStatus.noContent.forbidsBody && HTTPStatus.notModified.forbidsBody && HTTPStatus.continue.forbidsBody)
    #expect(!HTTPStatus.ok.forbidsBody)
}
