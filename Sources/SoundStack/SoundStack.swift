/// The `SoundStack` module. See README.md for where it sits in the stack.
public enum SoundStackModule {
    public static let name = "SoundStack"
}
