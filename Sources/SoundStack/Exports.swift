// `import SoundStack` alone is enough for the common jobs: the types the front door's API
// shows (modes and line codes, MAC and IPv4 addresses, HTTP messages, audio formats) come with it.
@_exported import AudioIO
@_exported import L1Physical
@_exported import L2DataLink
@_exported import L3Network
@_exported import L4Transport
@_exported import L5Session
@_exported import L6Presentation
@_exported import L7Application
