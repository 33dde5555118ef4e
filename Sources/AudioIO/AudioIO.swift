/// The `AudioIO` module. See README.md for where it sits in the stack.
public enum AudioIOModule {
    public static let name = "AudioIO"
}
