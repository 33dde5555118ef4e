import Testing
@testable import SoundStack
