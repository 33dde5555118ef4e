/// The `L3Network` module. See README.md for where it sits in the stack.
public enum L3NetworkModule {
    public static let name = "L3Network"
}
